#pragma once
// AuditLog: read-only access to the stored audit chains for `motcua audit verify`
// (engine/audit_chain.hpp). Thread-safe. Errors (common): kIo when the database fails.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"

namespace motcua::engine {

// One stored audit-chain row, as the verifier reads it: the events one command appended.
struct ChainRow {
  std::int64_t seq = 0;  // the row's first event
  // The canonical encodings (event_codec.hpp) of the row's events, in seq order, joined by '\n'
  // (which no canonical encoding contains); a single event is just its encoding.
  std::string encoding;
  std::string hash;  // stored lowercase hex hash after the row's last event
};

// What the projection row says about the chain's end.
struct ChainHead {
  std::int64_t version = 0;  // number of events the dossier row claims
  std::string hash;          // hash of the last event as recorded in the dossier row
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Every dossier code that has a projection row or at least one event, sorted.
  virtual Result<std::vector<std::string>> dossier_codes() = 0;
  // The rows of one dossier ordered by seq, and its head (nullopt when there is no dossier row).
  virtual Result<std::vector<ChainRow>> rows(std::string_view code) = 0;
  virtual Result<std::optional<ChainHead>> head(std::string_view code) = 0;
};

}  // namespace motcua::engine
