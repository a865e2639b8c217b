#include "engine/audit_chain.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/event_codec.hpp"

namespace motcua::engine {
namespace {

constexpr std::string_view kCode = "000.00.14.H20-261127-0007";

std::string encoding(std::int64_t seq, std::string action) {
  Event e;
  e.action = std::move(action);
  e.at = Instant{std::chrono::seconds{1795000000 + seq}};
  e.reason = "lý do " + std::to_string(seq);
  return encode_event(e, seq).value();
}

// A correct chain of `n` events for kCode, and the head the dossier row would record.
struct Chain {
  std::vector<ChainRow> rows;
  ChainHead head;
};
Chain make_chain(int n) {
  Chain c;
  Digest prev = chain_genesis(kCode).value();
  for (int seq = 1; seq <= n; ++seq) {
    std::string enc = encoding(seq, "action-" + std::to_string(seq));
    prev = chain_link(prev, enc).value();
    c.rows.push_back(ChainRow{seq, enc, to_hex(prev)});
  }
  c.head = ChainHead{n, c.rows.empty() ? std::string() : c.rows.back().hash};
  return c;
}

std::vector<Finding> verify(const Chain& c) {
  auto r = verify_chain(kCode, c.rows, c.head);
  REQUIRE(r);
  return *r;
}

// Recomputes the stored hashes from row `from` on, as an attacker who knows the scheme would.
void rechain(Chain& c, std::size_t from) {
  Digest prev =
      from == 0 ? chain_genesis(kCode).value() : digest_from_hex(c.rows[from - 1].hash).value();
  for (std::size_t i = from; i < c.rows.size(); ++i) {
    prev = chain_link(prev, c.rows[i].encoding).value();
    c.rows[i].hash = to_hex(prev);
  }
}

}  // namespace

TEST_CASE("Audit chain hashes are SHA-256 of previous hash and encoding") {
  CHECK(to_hex(sha256("abc").value()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Digest g = chain_genesis("x").value();
  CHECK(g == sha256("x").value());
  std::string both(reinterpret_cast<const char*>(g.data()), g.size());
  CHECK(chain_link(g, "enc").value() == sha256(both + "enc").value());
  CHECK_FALSE(digest_from_hex("zz"));
  CHECK_FALSE(digest_from_hex(std::string(64, 'G')));
  CHECK(digest_from_hex(to_hex(g)).value() == g);
}

TEST_CASE("Audit chain verifies an intact chain, and an empty one") {
  CHECK(verify(make_chain(5)).empty());
  CHECK(verify(make_chain(0)).empty());
  // Rows handed over out of order are sorted first.
  Chain c = make_chain(3);
  std::swap(c.rows[0], c.rows[2]);
  CHECK(verify(c).empty());
}

TEST_CASE("Audit chain is bound to its dossier code") {
  Chain c = make_chain(2);
  auto r = verify_chain("000.00.14.H20-261127-0008", c.rows, c.head).value();
  REQUIRE_FALSE(r.empty());
  CHECK(r[0].seq == 1);
}

TEST_CASE("Audit chain names an altered event") {
  Chain c = make_chain(5);
  SUBCASE("content edited, hash kept") { c.rows[2].encoding = encoding(3, "approve"); }
  SUBCASE("stored hash edited") { c.rows[2].hash = std::string(64, '0'); }
  SUBCASE("stored hash not hex") { c.rows[2].hash = "forged"; }
  auto f = verify(c);
  REQUIRE(f.size() == 1);
  CHECK(f[0].kind == FindingKind::kAltered);
  CHECK(f[0].seq == 3);
}

TEST_CASE("Audit chain names an altered last event through the dossier head") {
  Chain c = make_chain(4);
  c.rows[3].encoding = encoding(4, "approve");
  rechain(c, 3);
  auto f = verify(c);
  REQUIRE(f.size() == 1);
  CHECK(f[0].kind == FindingKind::kAltered);
  CHECK(f[0].seq == 4);
}

TEST_CASE("Audit chain names deleted events") {
  Chain c = make_chain(5);
  SUBCASE("middle row removed") {
    c.rows.erase(c.rows.begin() + 2);
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0] == Finding{FindingKind::kDeleted, 3, "seq 3 is missing"});
  }
  SUBCASE("two rows removed") {
    c.rows.erase(c.rows.begin() + 1, c.rows.begin() + 3);
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0] == Finding{FindingKind::kDeleted, 2, "seq 2 to 3 are missing"});
  }
  SUBCASE("first row removed") {
    c.rows.erase(c.rows.begin());
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kDeleted);
    CHECK(f[0].seq == 1);
  }
  SUBCASE("last row removed") {
    c.rows.pop_back();
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kDeleted);
    CHECK(f[0].seq == 5);
  }
  SUBCASE("middle row removed and the rest renumbered") {
    c.rows.erase(c.rows.begin() + 2);
    c.rows[2].seq = 3;
    c.rows[3].seq = 4;
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kDeleted);
    CHECK(f[0].seq == 3);
  }
}

TEST_CASE("Audit chain names reordered events") {
  Chain c = make_chain(5);
  SUBCASE("adjacent swap") {
    std::swap(c.rows[1].seq, c.rows[2].seq);
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kReordered);
    CHECK(f[0].seq == 2);
  }
  SUBCASE("distant swap") {
    std::swap(c.rows[0].seq, c.rows[3].seq);
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kReordered);
    CHECK(f[0].seq == 1);
  }
}

TEST_CASE("Audit chain names inserted events") {
  Chain c = make_chain(4);
  SUBCASE("appended with a forged hash") {
    c.rows.push_back(ChainRow{5, encoding(5, "approve"), std::string(64, 'f')});
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kInserted);
    CHECK(f[0].seq == 5);
  }
  SUBCASE("appended and correctly chained, head not updated") {
    c.rows.push_back(ChainRow{5, encoding(5, "approve"), ""});
    rechain(c, 4);
    auto f = verify(c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == FindingKind::kInserted);
    CHECK(f[0].seq == 5);
  }
  SUBCASE("in the middle, rest renumbered, forged hash") {
    for (std::size_t i = 2; i < c.rows.size(); ++i) ++c.rows[i].seq;
    c.rows.insert(c.rows.begin() + 2, ChainRow{3, encoding(3, "approve"), std::string(64, 'e')});
    auto f = verify(c);
    REQUIRE(f.size() >= 1);
    CHECK(f[0].kind == FindingKind::kInserted);
    CHECK(f[0].seq == 3);
  }
  SUBCASE("in the middle, rest renumbered, correctly chained itself") {
    for (std::size_t i = 2; i < c.rows.size(); ++i) ++c.rows[i].seq;
    c.rows.insert(c.rows.begin() + 2, ChainRow{3, encoding(3, "approve"), ""});
    Digest prev = digest_from_hex(c.rows[1].hash).value();
    c.rows[2].hash = to_hex(chain_link(prev, c.rows[2].encoding).value());
    auto f = verify(c);
    REQUIRE(f.size() >= 1);
    CHECK(f[0].kind == FindingKind::kInserted);
    CHECK(f[0].seq == 3);
  }
}

TEST_CASE("Audit chain reports events whose dossier row is missing") {
  Chain c = make_chain(2);
  auto f = verify_chain(kCode, c.rows, std::nullopt).value();
  REQUIRE(f.size() == 1);
  CHECK(f[0].kind == FindingKind::kDeleted);
  CHECK(f[0].seq == 0);
}

}  // namespace motcua::engine
