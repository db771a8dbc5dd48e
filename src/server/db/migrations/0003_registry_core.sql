-- Registry core (issue 3): the ID-number correction permission, a stable order for history rows, and indexes for
-- the history timeline, the dashboard's "changes this month" and the liaison lists.

-- Correcting a resident ID number is a separate, audited operation for the county approver (POLICY §7 ID numbers).
INSERT INTO role_permissions (role_code, permission) VALUES ('county_approver', 'registry.correct_id')
ON CONFLICT DO NOTHING;

-- Several changes in one transaction share now(); hist_seq orders them. The trigger inserts the row's columns and
-- valid_to positionally, so this trailing column takes its default.
ALTER TABLE households_history ADD COLUMN hist_seq bigserial;
ALTER TABLE persons_history ADD COLUMN hist_seq bigserial;
ALTER TABLE disability_certs_history ADD COLUMN hist_seq bigserial;
ALTER TABLE income_items_history ADD COLUMN hist_seq bigserial;
ALTER TABLE property_items_history ADD COLUMN hist_seq bigserial;
ALTER TABLE programme_enrollments_history ADD COLUMN hist_seq bigserial;

-- Dashboard: changes per month within an area.
CREATE INDEX households_history_region_to_idx ON households_history (region_code, valid_to);
CREATE INDEX persons_history_region_to_idx ON persons_history (region_code, valid_to);
CREATE INDEX disability_certs_history_region_to_idx ON disability_certs_history (region_code, valid_to);
CREATE INDEX income_items_history_region_to_idx ON income_items_history (region_code, valid_to);
CREATE INDEX property_items_history_region_to_idx ON property_items_history (region_code, valid_to);
CREATE INDEX households_created_idx ON households (region_code, created_at);
CREATE INDEX persons_created_idx ON persons (region_code, created_at);

-- History timeline by entity id.
CREATE INDEX disability_certs_history_id_idx ON disability_certs_history (id, valid_from);
CREATE INDEX income_items_history_id_idx ON income_items_history (id, valid_from);
CREATE INDEX property_items_history_id_idx ON property_items_history (id, valid_from);
CREATE INDEX persons_history_id_hh_idx ON persons_history (household_id, id);

-- Person search by attributes: programme membership of a person or of their household.
CREATE INDEX programme_enrollments_status_idx ON programme_enrollments (household_id, programme, status);
CREATE INDEX persons_birth_idx ON persons (county_code, birth_date);
