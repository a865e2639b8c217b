#include "engine/audit_chain.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "base/c_handle.hpp"
#include "engine/event_codec.hpp"

namespace motcua::engine {
using base::CHandle;
namespace {

tl::unexpected<Error> openssl_failure(std::string what) {
  std::string detail;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!detail.empty()) detail += "; ";
    detail += buf;
  }
  return fail(ErrorCode::kInternal, std::move(what), std::move(detail));
}

// SHA-256 fetched from the default provider once: EVP_sha256() makes every EVP_DigestInit look the
// implementation up again, which costs more than hashing a short event.
const EVP_MD* sha256_md() {
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

Result<Digest> digest_of(std::string_view a, std::string_view b) {
  // One context per thread, reinitialised for each digest instead of allocated.
  thread_local const CHandle<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  Digest out{};
  unsigned int size = 0;
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), sha256_md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &size) != 1 || size != out.size())
    return openssl_failure("SHA-256 failed");
  return out;
}

std::string_view as_bytes(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

constexpr std::int64_t kGenesis = -1;
constexpr std::int64_t kNone = -2;

std::string seq_name(const std::vector<ChainRow>& rows, std::int64_t index) {
  return index == kGenesis ? std::string("the genesis") : "seq " + std::to_string(rows[index].seq);
}

}  // namespace

Result<Digest> sha256(std::string_view bytes) { return digest_of(bytes, {}); }

std::string to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

Result<Digest> digest_from_hex(std::string_view hex) {
  if (hex.size() != 64) return fail(ErrorCode::kInvalidInput, "a SHA-256 digest is 64 hex digits");
  Digest out{};
  for (std::size_t i = 0; i < 64; ++i) {
    const char c = hex[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return fail(ErrorCode::kInvalidInput, "a SHA-256 digest is lowercase hex");
    out[i / 2] = static_cast<unsigned char>(out[i / 2] << 4 | v);
  }
  return out;
}

std::vector<std::string_view> row_events(std::string_view joined) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = joined.find('\n', start);
    out.push_back(joined.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

Result<Digest> chain_genesis(std::string_view dossier_code) { return sha256(dossier_code); }

Result<Digest> chain_link(const Digest& previous, std::string_view encoding) {
  return digest_of(as_bytes(previous), encoding);
}

namespace {

// The hash after a row's last event, chained from `previous` through each of its events.
Result<Digest> chain_row(const Digest& previous, std::string_view joined) {
  Digest h = previous;
  for (std::string_view encoding : row_events(joined)) {
    auto next = chain_link(h, encoding);
    if (!next) return next;
    h = *next;
  }
  return h;
}

}  // namespace

std::string_view to_string(FindingKind kind) noexcept {
  switch (kind) {
    case FindingKind::kAltered:
      return "altered";
    case FindingKind::kDeleted:
      return "deleted";
    case FindingKind::kReordered:
      return "reordered";
    case FindingKind::kInserted:
      return "inserted";
  }
  return "altered";
}

Result<std::vector<Finding>> verify_chain(std::string_view dossier_code, std::vector<ChainRow> rows,
                                          const std::optional<ChainHead>& head) {
  std::sort(rows.begin(), rows.end(),
            [](const ChainRow& a, const ChainRow& b) { return a.seq < b.seq; });
  const auto n = static_cast<std::int64_t>(rows.size());
  // events[i]: how many events row i holds; total: all of them, what the head's version counts.
  std::vector<std::int64_t> events(rows.size());
  std::int64_t total = 0;
  for (std::int64_t i = 0; i < n; ++i)
    total += events[i] = static_cast<std::int64_t>(row_events(rows[i].encoding).size());
  auto genesis = chain_genesis(dossier_code);
  if (!genesis) return tl::unexpected(genesis.error());

  // A stored hash that is not hex matches nothing, which is the right outcome for a forged row.
  std::vector<std::optional<Digest>> stored(rows.size());
  for (std::int64_t i = 0; i < n; ++i)
    if (auto d = digest_from_hex(rows[i].hash)) stored[i] = *d;

  auto links_from = [&](std::int64_t i, std::int64_t from) -> Result<bool> {
    const std::optional<Digest>& prev =
        from == kGenesis ? std::optional<Digest>(*genesis) : stored[from];
    if (!prev || !stored[i]) return false;
    auto h = chain_row(*prev, rows[i].encoding);
    if (!h) return tl::unexpected(h.error());
    return *h == *stored[i];
  };

  // pred[i]: the row (or genesis) whose hash row i is chained to; kNone when none matches.
  std::vector<std::int64_t> pred(rows.size(), kNone);
  std::vector<bool> link_ok(rows.size(), false);
  // hash_replaced[i]: row i's content is intact but its stored hash was overwritten, which shows
  // when row i+1 chains from the hash row i should have had.
  std::vector<bool> hash_replaced(rows.size(), false);
  std::optional<Digest> recomputed;  // hash of row i-1 recomputed from its own predecessor
  for (std::int64_t i = 0; i < n; ++i) {
    auto ok = links_from(i, i == 0 ? kGenesis : i - 1);
    if (!ok) return tl::unexpected(ok.error());
    link_ok[i] = *ok;
    if (!*ok && i > 0 && recomputed && stored[i]) {
      auto h = chain_row(*recomputed, rows[i].encoding);
      if (!h) return tl::unexpected(h.error());
      if (*h == *stored[i]) link_ok[i] = hash_replaced[i - 1] = true;
    }
    const std::optional<Digest>& prev = i == 0 ? std::optional<Digest>(*genesis) : stored[i - 1];
    recomputed.reset();
    if (prev) {
      auto h = chain_row(*prev, rows[i].encoding);
      if (!h) return tl::unexpected(h.error());
      recomputed = *h;
    }
    if (link_ok[i]) {
      pred[i] = i == 0 ? kGenesis : i - 1;
      continue;
    }
    for (std::int64_t j = kGenesis; j < n && pred[i] == kNone; ++j) {
      if (j == i) continue;
      auto hit = links_from(i, j);
      if (!hit) return tl::unexpected(hit.error());
      if (*hit) pred[i] = j;
    }
  }
  auto is_predecessor = [&](std::int64_t j) {
    return std::find(pred.begin(), pred.end(), j) != pred.end();
  };

  std::vector<Finding> findings;
  auto add = [&](FindingKind kind, std::int64_t seq, std::string message) {
    findings.push_back(Finding{kind, seq, std::move(message)});
  };
  bool deleted = false, inserted = false, reordered = false;
  std::int64_t expected = 1;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t seq = rows[i].seq;
    const bool gap = seq > expected;
    if (gap) {
      add(FindingKind::kDeleted, expected,
          expected + 1 == seq ? "seq " + std::to_string(expected) + " is missing"
                              : "seq " + std::to_string(expected) + " to " +
                                    std::to_string(seq - 1) + " are missing");
      deleted = true;
    }
    expected = seq + events[i];
    if (link_ok[i]) continue;
    const std::int64_t before = i == 0 ? kGenesis : i - 1;
    if (pred[i] == kNone) {
      if (gap) continue;  // its predecessor is the missing row
      if (hash_replaced[i]) {
        add(FindingKind::kAltered, seq,
            "the stored hash of seq " + std::to_string(seq) + " was replaced");
        continue;
      }
      auto decoded = decode_event(row_events(rows[i].encoding).front());
      if (decoded && decoded->seq > seq) {
        add(FindingKind::kDeleted, seq,
            "the event stored at seq " + std::to_string(seq) + " was written as seq " +
                std::to_string(decoded->seq) +
                ": events before it were deleted and the rest renumbered");
        deleted = true;
      } else if (i + 1 < n && pred[i + 1] == before && !is_predecessor(i)) {
        add(FindingKind::kInserted, seq,
            "seq " + std::to_string(seq) + " is not part of the chain: seq " +
                std::to_string(rows[i + 1].seq) + " is chained directly to " +
                seq_name(rows, before));
        inserted = true;
      } else if (i + 1 == n && head && total > head->version && rows[i].hash != head->hash) {
        add(FindingKind::kInserted, seq,
            "seq " + std::to_string(seq) + " is beyond the " + std::to_string(head->version) +
                " events the dossier records and is not chained");
        inserted = true;
      } else {
        add(FindingKind::kAltered, seq,
            "seq " + std::to_string(seq) + " does not match its stored hash chained from " +
                seq_name(rows, before));
      }
      continue;
    }
    // Chained, but to another row than the one before it.
    if (i >= 1 && pred[i] == (i >= 2 ? i - 2 : kGenesis) && !is_predecessor(i - 1)) {
      if (findings.empty() || findings.back().kind != FindingKind::kInserted ||
          findings.back().seq != rows[i - 1].seq) {
        add(FindingKind::kInserted, rows[i - 1].seq,
            "seq " + std::to_string(rows[i - 1].seq) + " is not part of the chain: seq " +
                std::to_string(seq) + " is chained directly to " + seq_name(rows, pred[i]));
        inserted = true;
      }
    } else if (!reordered) {
      add(FindingKind::kReordered, seq,
          "seq " + std::to_string(seq) + " is chained after " + seq_name(rows, pred[i]) +
              ", not after " + seq_name(rows, before));
      reordered = true;
    }
  }

  if (!head) {
    if (n > 0) add(FindingKind::kDeleted, 0, "the dossier row is missing but its events remain");
    return findings;
  }
  const std::int64_t last = n ? rows.back().seq + events.back() - 1 : 0;
  if (total < head->version && !deleted) {
    add(FindingKind::kDeleted, last + 1,
        "the dossier records " + std::to_string(head->version) + " events but only " +
            std::to_string(total) + " are stored: the last ones were deleted");
  } else if (total > head->version && !inserted) {
    // The first row that holds an event beyond the head's count.
    std::int64_t beyond = 0, counted = 0;
    while (beyond + 1 < n && counted + events[beyond] <= head->version) counted += events[beyond++];
    add(FindingKind::kInserted, rows[beyond].seq,
        "the dossier records " + std::to_string(head->version) + " events but " +
            std::to_string(total) + " are stored: seq " + std::to_string(rows[beyond].seq) +
            " onwards were added");
  } else if (total == head->version && n > 0 && findings.empty() &&
             rows.back().hash != head->hash) {
    add(FindingKind::kAltered, rows.back().seq,
        "the hash of seq " + std::to_string(rows.back().seq) +
            " differs from the one the dossier row records");
  }
  return findings;
}

Result<std::vector<DossierFindings>> verify_log(AuditLog& log) {
  auto codes = log.dossier_codes();
  if (!codes) return tl::unexpected(codes.error());
  std::vector<DossierFindings> broken;
  for (const std::string& code : *codes) {
    auto rows = log.rows(code);
    if (!rows) return tl::unexpected(rows.error());
    auto head = log.head(code);
    if (!head) return tl::unexpected(head.error());
    auto findings = verify_chain(code, std::move(*rows), *head);
    if (!findings) return tl::unexpected(findings.error());
    if (!findings->empty()) broken.push_back(DossierFindings{code, std::move(*findings)});
  }
  return broken;
}

}  // namespace motcua::engine
