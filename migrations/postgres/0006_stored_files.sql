-- Files the group stores with Caucus (a paper's PDF), by the SHA-256 of their
-- content: immutable, so a record's event that names the hash names the bytes.
CREATE TABLE stored_files
(
    group_id       text   NOT NULL,
    sha256         text   NOT NULL,
    name           text   NOT NULL,
    media_type     text   NOT NULL,
    size           bigint NOT NULL,
    classification text   NOT NULL,
    content        bytea  NOT NULL,
    uploaded_at    text   NOT NULL,
    uploaded_by    text   NOT NULL,
    PRIMARY KEY (group_id, sha256)
);
