//! Browser-only code: the IndexedDB outbox, the sync loop that empties it, and the service
//! worker's registration and update flow.

mod idb;
mod sw;
mod sync;

pub use idb::{keep_copy, read_copy};
pub use sw::{apply_update, cache_pages};
pub use sync::{save_check_in, save_entry, start};
