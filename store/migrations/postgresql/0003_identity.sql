-- motcua schema 3 (postgresql): the organisation, officers, bearer tokens and tracking secrets (engine/identity.hpp).
-- Secrets are never stored: passwords as argon2id encodings, tokens and tracking secrets as SHA-256 hex.
CREATE TABLE agencies (
  id TEXT PRIMARY KEY,
  agency_key TEXT NOT NULL,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL
);

CREATE TABLE agency_roles (
  agency_id TEXT NOT NULL REFERENCES agencies (id),
  role TEXT NOT NULL,
  PRIMARY KEY (agency_id, role)
);

CREATE TABLE officers (
  login TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  agency_id TEXT NOT NULL REFERENCES agencies (id),
  password_hash TEXT NOT NULL,
  active BIGINT NOT NULL CHECK (active IN (0, 1)),
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT,
  created_at BIGINT NOT NULL
);

CREATE TABLE officer_roles (
  login TEXT NOT NULL REFERENCES officers (login),
  agency_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (login, role),
  FOREIGN KEY (agency_id, role) REFERENCES agency_roles (agency_id, role)
);

CREATE TABLE officer_tokens (
  token_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL REFERENCES officers (login),
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX officer_tokens_by_login ON officer_tokens (login);

CREATE TABLE tracking_secrets (
  dossier_code TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL
);
