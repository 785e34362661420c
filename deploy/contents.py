#!/usr/bin/env python3
"""Print the snapshot contents of a gateway-audit SQLite history as JSON, with no gateway-audit code.

Since migration v8-deflate a snapshot's `content` is a BLOB: a format byte (1), then raw DEFLATE (RFC 1951,
a 4 KiB window) whose preset dictionary is the kind's dictionary from the file's `content_dictionary` table,
then `"created_at":"…","id":"…","id_value":"…","updated_at":"…",` with the snapshot row's `created_at_raw`,
resource id, `id_value` and `updated_at_raw` as stored (an absent one empty). A text `content` is JSON as
it is. Python's standard library only (sqlite3, zlib).

    python3 deploy/contents.py history.sqlite [RESOURCE_ID]

One line a snapshot, in resource id and sequence order: the resource id, the sequence number and the
content's JSON (`null` for a gone resource's tombstone), separated by tabs.
"""
import sqlite3
import sys
import zlib


def inflated(content, kind, resource_id, id_value, created, updated, dictionaries):
    """The JSON text of one stored content: a BLOB inflated, a text as it is, None for NULL."""
    if not isinstance(content, bytes):
        return content
    if not content:
        raise ValueError(f"{resource_id}: an empty content")
    row = "".join(f'"{name}":"{value or ""}",' for name, value in (
        ("created_at", created), ("id", resource_id), ("id_value", id_value), ("updated_at", updated)))
    inflater = zlib.decompressobj(-12, zdict=dictionaries.get((content[0], kind), b"") + row.encode())
    text = inflater.decompress(content[1:]) + inflater.flush()
    # One whole stream and nothing after it, as gateway-audit reads it: anything else was edited.
    if not inflater.eof or inflater.unused_data:
        raise ValueError(f"{resource_id}: a content that does not inflate whole (run gateway-audit verify)")
    return text.decode()


def dictionaries_of(db):
    """The file's dictionaries by (format, kind)."""
    return {(form, kind): bytes(blob) for form, kind, blob in db.execute(
        "SELECT format, kind, dictionary FROM content_dictionary")}


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: contents.py HISTORY.sqlite [RESOURCE_ID]")
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    dictionaries = dictionaries_of(db)
    query = ("SELECT g.kind, g.gateway_id, s.seq, s.id_value, s.created_at_raw, s.updated_at_raw, s.content "
             "FROM snapshot s JOIN gateway g ON g.id = s.gateway")
    arguments = ()
    if len(sys.argv) == 3:
        query += " WHERE g.gateway_id = ?"
        arguments = (sys.argv[2],)
    for kind, rid, seq, id_value, created, updated, content in db.execute(
            query + " ORDER BY g.gateway_id, s.seq", arguments):
        content = inflated(content, kind, rid, id_value, created, updated, dictionaries)
        print(f"{rid}\t{seq}\t{content if content is not None else 'null'}")


if __name__ == "__main__":
    try:
        main()
    except (ValueError, sqlite3.Error) as error:
        sys.exit(f"contents.py: {error}")
