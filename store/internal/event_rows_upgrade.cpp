#include "store/internal/event_rows_upgrade.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "base/hex.hpp"
#include "store/internal/event_rows.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/sql_dossier_statements.hpp"

namespace motcua::store::detail {

void copy_schema7_events(soci::session& sql) {
  constexpr int kBatch = 500;
  std::string after_code;
  long long after_seq = 0;
  InsertEventRow insert(sql);
  while (true) {
    std::vector<std::string> codes(kBatch), encodings(kBatch), hashes(kBatch);
    std::vector<long long> seqs(kBatch);
    sql << "SELECT dossier_code, seq, encoding, hash FROM dossier_events_v7 WHERE dossier_code > :c "
           "OR (dossier_code = :c2 AND seq > :s) ORDER BY dossier_code, seq LIMIT " +
               std::to_string(kBatch),
        soci::use(after_code), soci::use(after_code), soci::use(after_seq), soci::into(codes),
        soci::into(seqs), soci::into(encodings), soci::into(hashes);
    if (codes.empty()) break;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      auto body = pack_joined(encodings[i]);
      if (!body) throw std::runtime_error(body.error().message);
      insert.code = codes[i];
      insert.seq = seqs[i];
      insert.body = to_hex_text(*body);
      insert.hash = base::is_sha256_hex(hashes[i]) ? hashes[i] : to_hex_text(hashes[i]);
      insert.st.execute(true);
    }
    after_code = codes.back();
    after_seq = seqs.back();
    if (codes.size() < static_cast<std::size_t>(kBatch)) break;
  }
  sql << "DROP TABLE dossier_events_v7";
}

}  // namespace motcua::store::detail
