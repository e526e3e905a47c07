-- Files attached to cases (a resident's letter, a photograph): by the SHA-256
-- of their content within the case, and stored sealed under the case's key
-- (nonce and ciphertext), so erasing the case's personal data leaves them
-- unreadable with everything else it sealed. Apart from `stored_files`, whose
-- content is shared by everyone who may read its classification.
CREATE TABLE case_files
(
    group_id    text   NOT NULL,
    case_id     text   NOT NULL,
    sha256      text   NOT NULL,
    size        bigint NOT NULL,
    content     bytea  NOT NULL,
    uploaded_at text   NOT NULL,
    uploaded_by text   NOT NULL,
    PRIMARY KEY (case_id, sha256)
);
