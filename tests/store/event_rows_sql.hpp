#pragma once
// Tampering with stored event rows as someone with database access would: read a row's body,
// change the events inside, compress them again with the store's own format
// (store/internal/event_rows.hpp) and write them back, leaving the stored hash as it was.
#include <string>
#include <vector>

#include "store/internal/event_rows.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/sql_dossier_statements.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store::testing {

// The events stored in the row (code, seq).
inline std::vector<std::string> stored_row(Database& db, const std::string& code, long long seq) {
  soci::session sql(db.pool().connections);
  std::string hex;
  sql << "SELECT " + detail::hex_out(sql, "body") +
             " FROM dossier_events WHERE dossier_code = :c AND seq = :s",
      soci::use(code), soci::use(seq), soci::into(hex);
  REQUIRE(sql.got_data());
  return detail::unpack_events(from_hex_text(hex, "row").value()).value();
}

// Replaces the first `from` in the row's events by `to`; the hash stays.
inline void edit_row(Database& db, const std::string& code, long long seq, const std::string& from,
                     const std::string& to) {
  std::string joined = detail::join_events(stored_row(db, code, seq));
  const std::size_t at = joined.find(from);
  REQUIRE(at != std::string::npos);
  joined.replace(at, from.size(), to);
  std::string body = to_hex_text(detail::pack_joined(joined).value());
  soci::session sql(db.pool().connections);
  sql << "UPDATE dossier_events SET body = " + detail::hex_in(sql, ":b") +
             " WHERE dossier_code = :c AND seq = :s",
      soci::use(body), soci::use(code), soci::use(seq);
}

// Inserts a forged row holding `encodings` with the stored hash `hash_hex`.
inline void insert_row(Database& db, const std::string& code, long long seq,
                       const std::vector<std::string>& encodings, const std::string& hash_hex) {
  std::string body = to_hex_text(detail::pack_events(encodings).value()), hash = hash_hex;
  soci::session sql(db.pool().connections);
  sql << "INSERT INTO dossier_events (dossier_code, seq, body, hash) VALUES (:c, :s, " +
             detail::hex_in(sql, ":b") + ", " + detail::hex_in(sql, ":h") + ")",
      soci::use(code), soci::use(seq), soci::use(body), soci::use(hash);
}

}  // namespace motcua::store::testing
