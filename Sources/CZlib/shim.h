// zlib (zlib1g-dev), for the SQLite store's snapshot content encoding (GatewayAuditStore/StoredContent.swift).
#include <zlib.h>
