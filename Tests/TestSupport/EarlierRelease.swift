/// A history put back in the form the release before migration `v7-compact` wrote (shared by the unit and
/// end-to-end tests of the upgrade).
public enum EarlierRelease {
    /// Digests as lower-case hex text, the index of resources by kind, and no `v7-compact` in the
    /// migrations table; run with the sqlite3 shell on a checkpointed file.
    public static let beforeCompactSQL = """
        UPDATE snapshot SET chain_sha256 = lower(hex(chain_sha256)),
            content_sha256 = CASE WHEN content_sha256 IS NULL THEN NULL ELSE lower(hex(content_sha256)) END;
        UPDATE scope_move SET chain_sha256 = lower(hex(chain_sha256));
        CREATE INDEX gateway_by_kind ON gateway(kind, gateway_id);
        DELETE FROM grdb_migrations WHERE identifier = 'v7-compact';
        """
}
