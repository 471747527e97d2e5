-- Accounts, sessions, one-time links, care teams, sign-in throttling and the audit log.
-- The foundation's demo patient goes away: entries now belong to signed-in patients.
delete from entries where patient_id = '01900000-0000-7000-8000-000000000001';
delete from users where id = '01900000-0000-7000-8000-000000000001';

-- Lower-case sign-in name; unique across all users.
alter table users add column username text not null default '';
-- argon2id PHC string; null until the person chooses a password.
alter table users add column password_hash text;
-- Set when an admin deactivates the account; a deactivated user cannot sign in.
alter table users add column deactivated_at bigint;
create unique index users_username_idx on users (username);

-- Server-side sessions. `id` is the SHA-256 of the cookie value, so a copy of this table
-- cannot be used to sign in.
create table sessions (
    id text primary key not null,
    user_id text not null references users (id) on delete cascade,
    created_at bigint not null,
    last_seen_at bigint not null,
    idle_expires_at bigint not null,
    absolute_expires_at bigint not null
);
create index sessions_user_idx on sessions (user_id);

-- One-time links: first-admin setup, invitations and password resets. `id` is the SHA-256
-- of the token in the link.
create table tokens (
    id text primary key not null,
    purpose text not null check (purpose in ('setup', 'therapist_invite', 'patient_invite', 'reset')),
    created_by text references users (id) on delete cascade,
    user_id text references users (id) on delete cascade,
    display_name text not null default '',
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);

-- Which therapists care for which patient.
create table care_team_members (
    patient_id text not null references users (id) on delete cascade,
    therapist_id text not null references users (id) on delete cascade,
    added_by text,
    created_at bigint not null,
    primary key (patient_id, therapist_id)
);
create index care_team_therapist_idx on care_team_members (therapist_id);

-- Failed sign-ins, keyed by account ("user:name") and by address ("addr:ip").
create table sign_in_failures (
    key text not null,
    at bigint not null,
    created_at bigint not null
);
create index sign_in_failures_key_idx on sign_in_failures (key, at);

-- Append-only: no foreign keys (rows outlive the people they name), and a trigger refuses
-- every update and delete.
create table audit_log (
    id bigint generated always as identity primary key,
    at bigint not null,
    actor_id text,
    actor_role text not null default '',
    action text not null,
    patient_id text,
    request_id text not null default '',
    outcome text not null check (outcome in ('allowed', 'denied')),
    detail text not null default '',
    created_at bigint not null
);
create index audit_log_at_idx on audit_log (at);
create index audit_log_patient_idx on audit_log (patient_id, at);
create index audit_log_actor_idx on audit_log (actor_id, at);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit rows cannot be changed or deleted';
end;
$$;

create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
