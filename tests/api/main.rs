//! API tests against the real server on a loopback port, each with a fresh database.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod authz;
mod health;
mod prepare;
mod startup;
mod sync;
