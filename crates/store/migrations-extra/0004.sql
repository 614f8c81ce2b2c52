-- Web application: users, sessions, and the 自评任务 workflow with its log.
CREATE TABLE app_user (
    {ID},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_code TEXT,
    region_code TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE web_session (
    token TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE evaluation_task (
    {ID},
    unit_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    status TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (unit_code, year)
);

CREATE TABLE task_event (
    {ID},
    task_id BIGINT NOT NULL REFERENCES evaluation_task(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    comment TEXT,
    at BIGINT NOT NULL
);
