//! Accounts as both sides see them: roles, and the rules for names and passwords that the
//! browser can check before sending (the server checks again, plus the common-password list).

use serde::{Deserialize, Serialize};

/// Shortest password accepted (NIST SP 800-63B: at least 8 characters).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted: room for long passphrases, a bound for the hasher.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// Sign-in names: 3 to 32 of a–z, 0–9, dot, dash, underscore.
pub const MAX_USERNAME_CHARS: usize = 32;
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Patient,
    Therapist,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Therapist => "therapist",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "patient" => Some(Role::Patient),
            "therapist" => Some(Role::Therapist),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Where this role lands after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Patient => "/",
            Role::Therapist => "/clinic",
            Role::Admin => "/admin",
        }
    }

    /// A word for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Patient => "Patient",
            Role::Therapist => "Therapist",
            Role::Admin => "Admin",
        }
    }
}

/// A field-level problem, in words for the person filling the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// Trims and lower-cases a sign-in name, then checks it.
pub fn normalize_username(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim().to_lowercase();
    let count = name.chars().count();
    if count < 3 {
        return Err(field_error(
            "username",
            "Choose a sign-in name of at least 3 characters.",
        ));
    }
    if count > MAX_USERNAME_CHARS {
        return Err(field_error(
            "username",
            format!("Use at most {MAX_USERNAME_CHARS} characters for your sign-in name."),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(field_error(
            "username",
            "Use only letters a to z, digits, dots, dashes or underscores in your sign-in name.",
        ));
    }
    Ok(name)
}

/// Trims a display name and checks it (1–80 characters, no control characters).
pub fn normalize_display_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim().to_string();
    if name.is_empty() {
        return Err(field_error("display_name", "Please enter a name."));
    }
    if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(field_error(
            "display_name",
            format!("Use at most {MAX_DISPLAY_NAME_CHARS} characters for the name."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(field_error(
            "display_name",
            "The name contains a character that cannot be used.",
        ));
    }
    Ok(name)
}

/// The length rules for a new password (NIST SP 800-63B: no composition rules). The server
/// also refuses passwords on its common-password list.
pub fn check_password_shape(password: &str, username: &str) -> Result<(), FieldError> {
    let count = password.chars().count();
    if count < MIN_PASSWORD_CHARS {
        return Err(field_error(
            "password",
            format!(
                "Use at least {MIN_PASSWORD_CHARS} characters. A few words you will remember work well."
            ),
        ));
    }
    if count > MAX_PASSWORD_CHARS {
        return Err(field_error(
            "password",
            format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    if password.contains('\0') {
        return Err(field_error(
            "password",
            "The password contains a character that cannot be used.",
        ));
    }
    if !username.is_empty() && password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(field_error(
            "password",
            "Your password must not be your sign-in name.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_limited_to_safe_characters() {
        assert_eq!(normalize_username("  Ada.L-1 ").unwrap(), "ada.l-1");
        assert_eq!(normalize_username("ab").unwrap_err().field, "username");
        assert!(normalize_username("ada lovelace").is_err());
        assert!(normalize_username("ädä").is_err());
        assert!(normalize_username(&"a".repeat(33)).is_err());
    }

    #[test]
    fn passwords_need_eight_characters_and_allow_long_passphrases() {
        assert!(check_password_shape("short", "ada").is_err());
        assert!(check_password_shape("eight ch", "ada").is_ok());
        let passphrase = "correct horse battery staple ".repeat(4);
        assert!(passphrase.chars().count() >= 64);
        assert!(check_password_shape(&passphrase, "ada").is_ok());
        assert!(check_password_shape(&"x".repeat(257), "ada").is_err());
        assert!(check_password_shape("adalovelace", "AdaLovelace").is_err());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(normalize_display_name("  Ada  ").unwrap(), "Ada");
        assert!(normalize_display_name("   ").is_err());
        assert!(normalize_display_name("a\u{7}b").is_err());
        assert!(normalize_display_name(&"a".repeat(81)).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Patient, Role::Therapist, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
