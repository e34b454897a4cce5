-- bench/load/verify.sql: is every write the load generator saw acknowledged (2xx) in the
-- database? Run by run.sh with psql in the directory of the acked_*.csv files:
--   psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 URL -f verify.sql
-- Prints one line per kind: kind|acknowledged|missing|acknowledged twice (a lost update).
-- "missing" is a write answered 2xx that the database does not hold (or holds differently);
-- "acknowledged twice" is one version, slot, alert or task that two writers were both told
-- they had written: one of the two writes was silently lost.

CREATE TEMP TABLE ack_person_update (id bigint, version bigint, field text, value text,
                                     username text, acked_at bigint);
CREATE TEMP TABLE ack_person_create (id bigint, id_number text, username text);
CREATE TEMP TABLE ack_measure (id bigint, person_id bigint, category text, username text);
CREATE TEMP TABLE ack_test (measure_id bigint, day int, result text, username text);
CREATE TEMP TABLE ack_followup (measure_id bigint, slot int, date_start text, date_end text,
                                outcome text, username text);
CREATE TEMP TABLE ack_alert_close (id bigint, outcome text, username text);
CREATE TEMP TABLE ack_task_check (id bigint, method text, username text);
CREATE TEMP TABLE ack_import (import_id bigint, accepted int, merged int, rejected int,
                              already int);
CREATE TEMP TABLE ack_import_row (import_id bigint, person_id bigint, task_id bigint);

\copy ack_person_update FROM 'acked_person_update.csv' WITH (FORMAT csv, HEADER true)
\copy ack_person_create FROM 'acked_person_create.csv' WITH (FORMAT csv, HEADER true)
\copy ack_measure FROM 'acked_measure.csv' WITH (FORMAT csv, HEADER true)
\copy ack_test FROM 'acked_test.csv' WITH (FORMAT csv, HEADER true)
\copy ack_followup FROM 'acked_followup.csv' WITH (FORMAT csv, HEADER true)
\copy ack_alert_close FROM 'acked_alert_close.csv' WITH (FORMAT csv, HEADER true)
\copy ack_task_check FROM 'acked_task_check.csv' WITH (FORMAT csv, HEADER true)
\copy ack_import FROM 'acked_import.csv' WITH (FORMAT csv, HEADER true)
\copy ack_import_row FROM 'acked_import_row.csv' WITH (FORMAT csv, HEADER true)

-- A person edit is kept when the file is at that version with the value written, or at a later
-- version (a later edit, acknowledged or not, replaced it).
SELECT 'person_update',
       (SELECT count(*) FROM ack_person_update),
       (SELECT count(*) FROM ack_person_update a
         WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = a.id AND
                             (p.version > a.version OR
                              (p.version = a.version AND
                               CASE a.field WHEN 'address' THEN p.address
                                            WHEN 'phone' THEN p.phone END = a.value)))),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_person_update GROUP BY id, version) d WHERE n > 1);

SELECT 'person_create',
       (SELECT count(*) FROM ack_person_create),
       (SELECT count(*) FROM ack_person_create a
         WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = a.id
                             AND p.id_number = a.id_number)),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_person_create GROUP BY id_number) d WHERE n > 1);

-- Nothing in the load ends a measure, so two acknowledged measures for one person would be two
-- current measures at once.
SELECT 'measure',
       (SELECT count(*) FROM ack_measure),
       (SELECT count(*) FROM ack_measure a
         WHERE NOT EXISTS (SELECT 1 FROM measures m WHERE m.id = a.id
                             AND m.person_id = a.person_id AND m.category = a.category)),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_measure GROUP BY person_id) d WHERE n > 1);

SELECT 'test_result',
       (SELECT count(*) FROM ack_test),
       (SELECT count(*) FROM ack_test a
         WHERE NOT EXISTS (SELECT 1 FROM measure_test_days t WHERE t.measure_id = a.measure_id
                             AND t.day = a.day AND t.result = a.result
                             AND t.recorded_at IS NOT NULL)),
       0;

SELECT 'followup',
       (SELECT count(*) FROM ack_followup),
       (SELECT count(*) FROM ack_followup a
         WHERE NOT EXISTS (SELECT 1 FROM followups f WHERE f.measure_id = a.measure_id
                             AND f.slot = a.slot AND f.date IN (a.date_start, a.date_end)
                             AND f.outcome = a.outcome AND f.recorded_by = a.username)),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_followup GROUP BY measure_id, slot, date_end) d
         WHERE n > 1);

SELECT 'close_alert',
       (SELECT count(*) FROM ack_alert_close),
       (SELECT count(*) FROM ack_alert_close a
         WHERE NOT EXISTS (SELECT 1 FROM alerts x WHERE x.id = a.id AND x.state = 'closed'
                             AND x.outcome = a.outcome AND x.closed_by = a.username)),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_alert_close GROUP BY id) d WHERE n > 1);

SELECT 'check_task',
       (SELECT count(*) FROM ack_task_check),
       (SELECT count(*) FROM ack_task_check a
         WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.id AND t.status = 'checked'
                             AND t.check_method = a.method AND t.checked_by = a.username)),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_task_check GROUP BY id) d WHERE n > 1);

-- An import is kept with its counts, and one lead row per accepted or merged row (every row
-- of a generated list has its own lead key, so none is "imported before").
SELECT 'lead_import',
       (SELECT count(*) FROM ack_import),
       (SELECT count(*) FROM ack_import a
         WHERE NOT EXISTS (SELECT 1 FROM lead_imports li WHERE li.id = a.import_id
                             AND li.accepted = a.accepted AND li.merged = a.merged
                             AND li.rejected = a.rejected)
            OR (a.already = 0 AND (SELECT count(*) FROM leads l WHERE l.import_id = a.import_id)
                                  <> a.accepted + a.merged)),
       (SELECT coalesce(sum(n - 1), 0) FROM
          (SELECT count(*) AS n FROM ack_import WHERE already = 0 GROUP BY import_id) d
         WHERE n > 1);

SELECT 'lead_import_row',
       (SELECT count(*) FROM ack_import_row),
       (SELECT count(*) FROM ack_import_row a
         WHERE (a.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM people p
                                                         WHERE p.id = a.person_id))
            OR (a.task_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tasks t
                                                       WHERE t.id = a.task_id
                                                         AND (a.person_id IS NULL
                                                              OR t.person_id = a.person_id)))),
       0;
