//! Reusable views.

mod app_header;
mod bottom_nav;
mod crisis_note;
mod sync_status;
mod update_banner;

pub use app_header::AppHeader;
pub use bottom_nav::BottomNav;
pub use crisis_note::CrisisNote;
pub use sync_status::{SyncStatus, describe_age};
pub use update_banner::UpdateBanner;
