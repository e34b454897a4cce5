SELECT setval(pg_get_serial_sequence('profiles', 'version'),
              (SELECT COALESCE(MAX(version), 0) + 1 FROM profiles), false);
