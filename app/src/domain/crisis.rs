//! Crisis resources: who to contact right now. They are deployment configuration; the
//! defaults are the US services named in CLINICAL.md.

use serde::{Deserialize, Serialize};

/// One way to reach a service (a call, a text, a web page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisAction {
    /// What the button says, e.g. "Call 988".
    pub label: String,
    /// A `tel:`, `sms:` or `https:` link.
    pub href: String,
}

/// A crisis service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisResource {
    pub name: String,
    pub description: String,
    pub actions: Vec<CrisisAction>,
}

/// Everything the crisis page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisResources {
    /// Where these services work, e.g. "the United States".
    pub region: String,
    pub resources: Vec<CrisisResource>,
}

impl Default for CrisisResources {
    fn default() -> Self {
        let action = |label: &str, href: &str| CrisisAction {
            label: label.into(),
            href: href.into(),
        };
        CrisisResources {
            region: "the United States".into(),
            resources: vec![
                CrisisResource {
                    name: "Emergency services".into(),
                    description: "If you might act on thoughts of harming yourself, or you are in danger now, call 911.".into(),
                    actions: vec![action("Call 911", "tel:911")],
                },
                CrisisResource {
                    name: "988 Suicide & Crisis Lifeline".into(),
                    description: "Free and private, any time of day or night. You can call or text.".into(),
                    actions: vec![action("Call 988", "tel:988"), action("Text 988", "sms:988")],
                },
                CrisisResource {
                    name: "Crisis Text Line".into(),
                    description: "Text HOME to 741741 to reach a trained crisis counselor.".into(),
                    actions: vec![action("Text HOME to 741741", "sms:741741?&body=HOME")],
                },
            ],
        }
    }
}

impl CrisisResources {
    /// Checks a deployment's configuration: at least one resource, every link a phone, text
    /// or https link.
    pub fn validate(&self) -> Result<(), String> {
        if self.resources.is_empty() {
            return Err("the crisis resources list is empty".into());
        }
        for resource in &self.resources {
            if resource.name.trim().is_empty() || resource.actions.is_empty() {
                return Err("every crisis resource needs a name and at least one action".into());
            }
            for action in &resource.actions {
                let ok = ["tel:", "sms:", "https:"]
                    .iter()
                    .any(|p| action.href.starts_with(p));
                if !ok {
                    return Err(format!(
                        "crisis link for \"{}\" must start with tel:, sms: or https:",
                        resource.name
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_resources_are_valid_and_include_988() {
        let defaults = CrisisResources::default();
        assert!(defaults.validate().is_ok());
        assert!(
            defaults
                .resources
                .iter()
                .any(|r| r.actions.iter().any(|a| a.href == "tel:988"))
        );
    }

    #[test]
    fn a_javascript_link_is_refused() {
        let mut bad = CrisisResources::default();
        bad.resources[0].actions[0].href = "javascript:alert(1)".into();
        assert!(bad.validate().is_err());
    }
}
