//! One routed page per file.

mod check_in;
mod crisis;
mod history;
mod not_found;
mod offline;
mod practice;
mod prepare;
mod today;

pub use check_in::CheckInPage;
pub use crisis::CrisisPage;
pub use history::HistoryPage;
pub use not_found::NotFoundPage;
pub use offline::OfflinePage;
pub use practice::PracticePage;
pub use prepare::PreparePage;
pub use today::TodayPage;
