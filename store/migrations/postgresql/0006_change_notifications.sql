-- Every committed change of a dossier's projection row is announced on the channel
-- motcua_dossier_changed with the dossier code as payload (store/change_feed.hpp): servers that
-- keep dossier views in memory forget them. PostgreSQL delivers notifications only when the
-- writing transaction commits, and folds duplicates within one transaction.
CREATE FUNCTION motcua_announce_dossier_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('motcua_dossier_changed', NEW.code);
  RETURN NULL;
END;
$$;

CREATE TRIGGER dossiers_announce_change AFTER INSERT OR UPDATE ON dossiers
  FOR EACH ROW EXECUTE FUNCTION motcua_announce_dossier_change();
