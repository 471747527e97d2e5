-- People and the append-only entry log. Timestamps are unix milliseconds.
create table users (
    id text primary key not null,
    role text not null check (role in ('patient', 'therapist', 'admin')),
    display_name text not null,
    created_at bigint not null
);

create table entries (
    id text primary key not null,
    patient_id text not null references users (id) on delete cascade,
    kind text not null,
    schema_version bigint not null,
    recorded_at bigint not null,
    received_at bigint not null,
    late boolean not null,
    payload text not null,
    created_at bigint not null
);

create index entries_patient_recorded_idx on entries (patient_id, recorded_at desc);
