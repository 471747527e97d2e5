-- Dosing sessions a therapist schedules for a patient. `starts_at` is unix milliseconds;
-- `time_zone` is the IANA zone it was scheduled in (the session's day and the integration
-- prompts are worked out there). Cancelled sessions stay, for the record.
create table dosing_sessions (
    id text primary key not null,
    patient_id text not null references users (id) on delete cascade,
    starts_at bigint not null,
    time_zone text not null,
    route text not null check (route in ('lozenge', 'intramuscular', 'intravenous')),
    location_note text not null default '',
    status text not null check (status in ('scheduled', 'cancelled')),
    cancel_reason text not null default '',
    created_by text,
    created_at bigint not null,
    updated_at bigint not null
);
create index dosing_sessions_patient_idx on dosing_sessions (patient_id, starts_at);
