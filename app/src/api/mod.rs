//! The server's public surface: the sync endpoint's wire types (and, on the server, its
//! handler) and the server functions, one file per feature. No SQL here.

pub mod crisis;
pub mod entries;
pub mod sync;
