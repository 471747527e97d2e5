//! One routed page per file.

mod account;
mod admin;
mod check_in;
mod clinic;
mod clinic_sessions;
mod crisis;
mod history;
mod link;
mod not_found;
mod offline;
mod practice;
mod prepare;
mod sign_in;
mod today;

pub use account::AccountPage;
pub use admin::AdminPage;
pub use check_in::CheckInPage;
pub use clinic::{ClinicPage, ClinicPatientPage};
pub use crisis::CrisisPage;
pub use history::HistoryPage;
pub use link::LinkPage;
pub use not_found::NotFoundPage;
pub use offline::OfflinePage;
pub use practice::PracticePage;
pub use prepare::{ModulePage, PreparePage};
pub use sign_in::SignInPage;
pub use today::TodayPage;
