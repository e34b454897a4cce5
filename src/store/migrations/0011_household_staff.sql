-- 四包一: the four responsible staff of each household under home quarantine (domain.md
-- section 4): a community cadre, the grid worker, a doctor and a police officer, chosen from the
-- responsible people of the household's grid, community and street (region_staff).
CREATE TABLE household_staff (
  household_id INTEGER NOT NULL REFERENCES households(id),
  duty TEXT NOT NULL CHECK (duty IN ('cadre', 'grid_worker', 'doctor', 'police')),
  staff_id INTEGER NOT NULL REFERENCES region_staff(id),
  assigned_at INTEGER NOT NULL,
  assigned_by TEXT NOT NULL,
  PRIMARY KEY (household_id, duty)
);
-- Households of people under home measures are found from the measures, by person.
CREATE INDEX measures_person ON measures (person_id, state);
