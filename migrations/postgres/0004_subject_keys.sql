-- One data key per data subject (a member now, a resident later): their
-- personal data is sealed under it (api/src/personal). `key` is the key,
-- wrapped by the master key when one is configured; erasing the subject sets it
-- to NULL and stamps `erased_at`, which leaves every sealed copy unreadable
-- while the events, and the audit chain's hashes over them, stay untouched.
CREATE TABLE subject_keys
(
    subject_id text PRIMARY KEY,
    key        text,
    created_at text NOT NULL,
    erased_at  text,
    CHECK ((key IS NULL) = (erased_at IS NOT NULL))
);
