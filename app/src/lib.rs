//! Stillpoint's shared application: the router and pages (both sides), the wire types and
//! pure domain logic (both sides), storage and request handlers (server only, `ssr`), and the
//! offline outbox with its sync loop (browser only, `hydrate`).
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod content;
pub mod domain;
pub mod error;
pub mod pages;
pub mod sync_state;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "hydrate")]
pub mod client;

pub use app::{App, shell};
