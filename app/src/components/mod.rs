//! Reusable views.

mod account_ui;
mod app_header;
mod bottom_nav;
mod crisis_note;
mod format;
mod patient_area;
pub mod preparation;
mod sync_status;
mod update_banner;

pub use account_ui::{
    FormMessage, FormStatus, MeResource, OneTimeLinkCard, SignInPrompt, error_text, go_to, me_role,
    provide_me, use_me,
};
pub use app_header::AppHeader;
pub use bottom_nav::BottomNav;
pub use crisis_note::CrisisNote;
pub use format::format_date;
pub use patient_area::PatientArea;
pub use sync_status::{SyncStatus, describe_age};
pub use update_banner::UpdateBanner;
