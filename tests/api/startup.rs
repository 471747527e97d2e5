//! The binary itself: bad configuration ends with one clear sentence and exit code 1, never a
//! panic trace.

use std::process::Command;

fn run_stillpoint(args: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let dir = crate::support::TempDir::new();
    let mut command = Command::new(env!("CARGO_BIN_EXE_stillpoint"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "off");
    if !args.contains(&"--data-dir") {
        command.args(["--data-dir", dir.0.to_str().unwrap()]);
    }
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().expect("run the binary");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).trim().to_string(),
    )
}

fn assert_one_sentence(stderr: &str) {
    assert_eq!(stderr.lines().count(), 1, "one line, got:\n{stderr}");
    assert!(
        stderr.starts_with("Stillpoint could not start: "),
        "{stderr}"
    );
    assert!(stderr.ends_with('.'), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn a_data_folder_that_cannot_be_created_is_reported_in_one_sentence() {
    let (code, stderr) = run_stillpoint(
        &["--addr", "127.0.0.1:0", "--data-dir", "/etc/hostname/data"],
        &[],
    );
    assert_eq!(code, 1);
    assert_one_sentence(&stderr);
    assert!(
        stderr.contains("data folder /etc/hostname/data"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_database_url_is_reported_without_echoing_credentials() {
    let (code, stderr) = run_stillpoint(
        &["--addr", "127.0.0.1:0"],
        &[("DATABASE_URL", "mysql://admin:hunter2@db/stillpoint")],
    );
    assert_eq!(code, 1);
    assert_one_sentence(&stderr);
    assert!(
        stderr.contains("DATABASE_URL must start with sqlite:// or postgres://"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the password must not be printed: {stderr}"
    );
}

#[test]
fn an_unreachable_postgres_is_reported_in_one_sentence() {
    let (code, stderr) = run_stillpoint(
        &["--addr", "127.0.0.1:0"],
        &[("DATABASE_URL", "postgres://u:secret@127.0.0.1:1/none")],
    );
    assert_eq!(code, 1);
    assert_one_sentence(&stderr);
    assert!(stderr.contains("database could not be opened"), "{stderr}");
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn a_port_in_use_is_reported_in_one_sentence() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, stderr) = run_stillpoint(&["--addr", &addr], &[]);
    assert_eq!(code, 1);
    assert_one_sentence(&stderr);
    assert!(stderr.contains("already in use"), "{stderr}");
}
