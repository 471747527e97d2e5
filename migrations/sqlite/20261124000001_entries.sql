-- People and the append-only entry log. Timestamps are unix milliseconds.
create table users (
    id text primary key not null,
    role text not null check (role in ('patient', 'therapist', 'admin')),
    display_name text not null,
    created_at integer not null
);

create table entries (
    id text primary key not null,
    patient_id text not null references users (id) on delete cascade,
    kind text not null,
    schema_version integer not null,
    recorded_at integer not null,
    received_at integer not null,
    late integer not null check (late in (0, 1)),
    payload text not null,
    created_at integer not null
);

create index entries_patient_recorded_idx on entries (patient_id, recorded_at desc);
