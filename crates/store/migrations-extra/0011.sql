-- Sign-in audit (issue 16): every sign-in to the web application and its API — success, wrong password or
-- unknown name, attempt while locked out, password change — with the name as typed and the client address.
-- Insert-only, like the books; `jixiao audit --since DATE` lists it.
CREATE TABLE login_event (
    {ID},
    at BIGINT NOT NULL,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    outcome TEXT NOT NULL
);

CREATE INDEX login_event_at ON login_event (at);
