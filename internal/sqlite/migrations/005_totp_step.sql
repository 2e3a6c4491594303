-- The last time step whose second-factor code an account used: a code is
-- good for its 30-second step (and one either side, for clock drift), and
-- one seen over a shoulder or captured in transit must not log in again.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
