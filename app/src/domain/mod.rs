//! Pure logic shared by server and browser: entry kinds, their validation, and limits.
//! Nothing here does I/O, so the browser can run the same checks before saving.

pub mod account;
pub mod check_in;
pub mod crisis;
pub mod entry;
pub mod preparation;
#[cfg(feature = "ssr")]
pub mod timing;

pub use check_in::CheckIn;
pub use entry::{EntryKind, EntryRejection, ValidatedEntry, validate_entry};
