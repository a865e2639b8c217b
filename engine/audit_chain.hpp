#pragma once
// The per-dossier audit chain. Each stored event carries
//   hash_seq = SHA-256(hash_{seq-1} || encoding_seq)        (raw 32-byte digests, stored as hex)
// where encoding_seq is the canonical event encoding (event_codec.hpp, which includes seq) and
// hash_0, the genesis, is SHA-256 of the dossier code, so a chain cannot be moved to another
// dossier. The dossier's projection row records the number of events and the last hash (ChainHead),
// which lets the verifier notice events removed from or added at the end. A stored row holds the
// events of one command and the hash after its last one (ChainRow); the verifier chains through
// every event of a row, and what it finds names rows by their first seq.
//
// verify_chain() inspects stored rows and names what was done to them. With full write access to
// the database an attacker can rewrite a whole chain consistently; the chain makes every partial
// edit visible, and the findings below say which kind it was:
//   kAltered   the row's bytes (or stored hash) changed: its hash no longer matches
//   kDeleted   a row is missing: a gap in seq, a renumbered chain, or fewer rows than the head says
//   kReordered rows exchanged places: a row is chained to a different predecessor than its place
//   kInserted  a row that is not part of the chain: chained to the row before its predecessor,
//              or beyond the head's event count
// Pure functions, thread-safe.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/ports/audit_log.hpp"

namespace motcua::engine {

using Digest = std::array<unsigned char, 32>;

// SHA-256 through OpenSSL EVP. Errors: kInternal when OpenSSL fails (its error queue in detail).
Result<Digest> sha256(std::string_view bytes);
std::string to_hex(const Digest& digest);

// The encodings of the events a stored row holds (ChainRow::encoding: joined by '\n'), as views
// into `joined`; one event when it holds no newline.
std::vector<std::string_view> row_events(std::string_view joined);

// hash_0 of a dossier.
Result<Digest> chain_genesis(std::string_view dossier_code);
// hash_seq from hash_{seq-1} and the encoding.
Result<Digest> chain_link(const Digest& previous, std::string_view encoding);
// Parses 64 lowercase hex characters. Errors: kInvalidInput.
Result<Digest> digest_from_hex(std::string_view hex);

enum class FindingKind { kAltered, kDeleted, kReordered, kInserted };
std::string_view to_string(FindingKind kind) noexcept;  // "altered", "deleted", ...

struct Finding {
  FindingKind kind = FindingKind::kAltered;
  std::int64_t seq =
      0;                // where it shows: the altered/inserted/misplaced row, the first missing seq
  std::string message;  // one English sentence naming the rows involved
  friend bool operator==(const Finding&, const Finding&) = default;
};

// Verifies one dossier's rows (any order; they are sorted by seq here). `head` is what the dossier
// row records, nullopt when the dossier row itself is missing (reported as kDeleted at seq 0 when
// rows exist). Returns no findings when the chain is intact. Errors: kInternal from OpenSSL only.
Result<std::vector<Finding>> verify_chain(std::string_view dossier_code, std::vector<ChainRow> rows,
                                          const std::optional<ChainHead>& head);

struct DossierFindings {
  std::string code;
  std::vector<Finding> findings;  // never empty
};

// Verifies every dossier the log lists, in code order; returns only the broken ones. Errors: those
// of the log (kIo) and of verify_chain.
Result<std::vector<DossierFindings>> verify_log(AuditLog& log);

}  // namespace motcua::engine
