// Units of api/ that need no socket: the route table against the OpenAPI document, routing,
// problem+json and its languages, rate limits, password hashing and secrets.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "api/api.hpp"
#include "api/internal/client_address.hpp"
#include "api/internal/problem.hpp"
#include "api/password.hpp"
#include "api/rate_limit.hpp"

namespace motcua::api {

TEST_CASE("The server's routes and schemas/openapi.json agree (method, path, operationId)") {
  std::ifstream in(std::string(MOTCUA_SOURCE_DIR) + "/schemas/openapi.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = boost::json::parse(text.str()).as_object();
  CHECK(doc.at("openapi").as_string().starts_with("3.1"));
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(m + " " + std::string(path) + " " +
                        std::string(op.as_object().at("operationId").as_string()));
    }
  }
  Context context(ApiDeps{}, ApiSettings{});
  Router router;
  add_all_routes(router, context);
  for (const Route& r : router.routes()) served.insert(r.method + " " + r.pattern + " " + r.name);
  CHECK(served.size() == router.routes().size());  // no duplicate route
  for (const auto& s : served) CHECK_MESSAGE(documented.count(s), "undocumented: " << s);
  for (const auto& d : documented) CHECK_MESSAGE(served.count(d), "documented, not served: " << d);
}

TEST_CASE("Router matches named segments, tells 404 from 405, and refuses empty segments") {
  Router router;
  router.add({"GET", "/api/v1/dossiers/{code}", "get", Access::kPublic, 0, {}});
  router.add({"POST", "/api/v1/dossiers/{code}/actions", "act", Access::kOfficer, 0, {}});
  auto m = router.match("GET", "/api/v1/dossiers/000.01.21.H57-261127-0001");
  REQUIRE(m.route);
  CHECK(m.route->name == "get");
  CHECK(m.params.at("code") == "000.01.21.H57-261127-0001");
  auto wrong_method = router.match("DELETE", "/api/v1/dossiers/x");
  CHECK(!wrong_method.route);
  CHECK(wrong_method.path_known);
  CHECK(!router.match("GET", "/api/v1/dossiers/").route);
  CHECK(!router.match("GET", "/api/v1/dossiers/x/y").path_known);
  auto target = split_target("/a%20b?x=1");
  REQUIRE(target);
  CHECK(target->path == "/a b");
  CHECK(target->query == "x=1");
  CHECK(!split_target("http://evil/x"));
  CHECK(!split_target("/bad%zz"));
  CHECK(!split_target("/nul%00"));
  Request r;
  r.query = "agency_id=000.09.21.H57&role=desk&name=Nguy%E1%BB%85n&flag";
  CHECK(r.query_param("role") == "desk");
  CHECK(r.query_param("agency_id") == "000.09.21.H57");
  CHECK(r.query_param("name") == "Nguyễn");
  CHECK(r.query_param("flag").empty());
  CHECK(r.query_param("missing").empty());
}

TEST_CASE("Router answers HEAD with the path's GET route, unless the path has a HEAD route") {
  Router router;
  router.add({"GET", "/a/{x}", "a.get", Access::kPublic, 0, {}});
  router.add({"POST", "/b", "b.post", Access::kPublic, 0, {}});
  router.add({"GET", "/c", "c.get", Access::kPublic, 0, {}});
  router.add({"HEAD", "/c", "c.head", Access::kPublic, 0, {}});
  auto a = router.match("HEAD", "/a/1");
  REQUIRE(a.route);
  CHECK(a.route->name == "a.get");
  CHECK(a.params.at("x") == "1");
  auto b = router.match("HEAD", "/b");
  CHECK(!b.route);
  CHECK(b.path_known);  // 405
  auto c = router.match("HEAD", "/c");
  REQUIRE(c.route);
  CHECK(c.route->name == "c.head");
}

TEST_CASE("ProxyTrust believes X-Forwarded-For only from trusted proxies, right to left") {
  auto trust = ProxyTrust::parse({"10.0.0.0/8", "192.168.1.7", "fd00::/8", "172.16.0.0/12"});
  REQUIRE(trust);
  CHECK(trust->trusts("10.255.0.1"));
  CHECK(trust->trusts("192.168.1.7"));
  CHECK(!trust->trusts("192.168.1.8"));
  CHECK(trust->trusts("172.31.255.255"));
  CHECK(!trust->trusts("172.32.0.0"));
  CHECK(trust->trusts("fd12::1"));
  CHECK(!trust->trusts("fe80::1"));
  CHECK(trust->trusts("::ffff:10.1.2.3"));  // IPv4-mapped is IPv4
  CHECK(!trust->trusts("not an address"));
  // Untrusted peer: its header is ignored.
  CHECK(trust->client("203.0.113.9", "198.51.100.1") == "203.0.113.9");
  // Trusted peer: the last hop that is not a trusted proxy.
  CHECK(trust->client("10.0.0.1", "198.51.100.1") == "198.51.100.1");
  CHECK(trust->client("10.0.0.1", "1.1.1.1, 198.51.100.1, 10.2.2.2, 192.168.1.7") ==
        "198.51.100.1");
  CHECK(trust->client("10.0.0.1", "") == "10.0.0.1");
  CHECK(trust->client("10.0.0.1", "10.3.3.3, 10.4.4.4") == "10.3.3.3");  // all trusted: leftmost
  CHECK(trust->client("10.0.0.1", "1.1.1.1, junk, 10.2.2.2") == "10.2.2.2");
  CHECK(trust->client("10.0.0.1", "junk") == "10.0.0.1");
  CHECK(trust->client("10.0.0.1", " 2001:db8::5 ") == "2001:db8::5");
  auto all = ProxyTrust::parse({"0.0.0.0/0", "::/0"});
  REQUIRE(all);
  CHECK(all->trusts("8.8.8.8"));
  CHECK(all->trusts("2001:db8::1"));
  auto host6 = ProxyTrust::parse({"2001:db8::1/128"});
  REQUIRE(host6);
  CHECK(host6->trusts("2001:db8::1"));
  CHECK(!host6->trusts("2001:db8::2"));
  CHECK(ProxyTrust::parse({}).value().empty());
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8x", "10.0.0/8", "",
                          "example.com/24", "10.0.0.0/-1"}) {
    CAPTURE(bad);
    auto parsed = ProxyTrust::parse({bad});
    REQUIRE(!parsed);
    CHECK(parsed.error().code == engine::ErrorCode::kInvalidInput);
  }
}

TEST_CASE(
    "Problems are RFC 9457 JSON with a stable code, in Vietnamese unless English is preferred") {
  Request vi, en;
  vi.request_id = en.request_id = "r-1";
  en.headers["accept-language"] = "en-GB,en;q=0.9,vi;q=0.5";
  vi.headers["accept-language"] = "vi-VN,en;q=0.5";
  auto a = problem(vi, 404, problem_code::kNotFound);
  auto b = problem(en, 404, problem_code::kNotFound);
  CHECK(a.content_type == "application/problem+json");
  auto ja = boost::json::parse(a.body).as_object(), jb = boost::json::parse(b.body).as_object();
  CHECK(ja.at("code") == "not-found");
  CHECK(jb.at("code") == "not-found");
  CHECK(ja.at("title") == "Không tìm thấy");
  CHECK(jb.at("title") == "Not found");
  CHECK(ja.at("request_id") == "r-1");
  CHECK(!prefers_english(""));
  CHECK(prefers_english("en"));
  CHECK(!prefers_english("en;q=0.1, vi"));
  // Internal errors never leak their text.
  auto internal = problem(vi, engine::Error{engine::ErrorCode::kIo, "db down", "secret dsn"});
  CHECK(internal.status == 503);
  CHECK(internal.body.find("secret") == std::string::npos);
  CHECK(internal.body.find("db down") == std::string::npos);
  CHECK(problem(vi, engine::Error{engine::ErrorCode::kForbidden, "x", ""}).status == 403);
  CHECK(problem(vi, engine::Error{engine::ErrorCode::kIllegalAction, "x", ""}).status == 409);
}

TEST_CASE("RateLimiter allows a burst per client, then refills at its rate") {
  RateLimiter limiter(60, 3);  // one a second
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
  CHECK(limiter.allow("a", t0));
  CHECK(limiter.allow("a", t0));
  CHECK(limiter.allow("a", t0));
  CHECK(!limiter.allow("a", t0));
  CHECK(limiter.retry_after("a", t0) == 1);
  CHECK(limiter.allow("b", t0));  // per client
  CHECK(limiter.allow("a", t0 + std::chrono::seconds(1)));
  CHECK(!limiter.allow("a", t0 + std::chrono::seconds(1)));
}

TEST_CASE("Passwords are argon2id hashes; secrets are random; comparison is exact") {
  auto hash = hash_password("correct horse battery");
  REQUIRE(hash);
  CHECK(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  CHECK(verify_password(*hash, "correct horse battery"));
  CHECK(!verify_password(*hash, "correct horse batterx"));
  CHECK(!verify_password("$argon2i$garbage", "x"));
  CHECK(!verify_password("", ""));
  CHECK(*hash != *hash_password("correct horse battery"));  // salted
  auto s1 = random_secret(), s2 = random_secret();
  REQUIRE(s1);
  CHECK(s1->size() == 43);
  CHECK(*s1 != *s2);
  CHECK(random_password()->size() == 20);
  CHECK(sha256_hex("abc").value() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(equal_constant_time("abc", "abc"));
  CHECK(!equal_constant_time("abc", "abd"));
  CHECK(!equal_constant_time("abc", "ab"));
}

}  // namespace motcua::api

namespace motcua::api {

TEST_CASE("StatusCache serves only while live and never keeps a view read before a change") {
  StatusCache cache(2);
  const engine::DossierSummary a{"000.01.21.H57-261127-0001", "submitted", 1, std::nullopt};
  const engine::DossierSummary b{"000.01.21.H57-261127-0002", "appraisal", 4, std::nullopt};
  cache.put(a, cache.epoch());
  CHECK_FALSE(cache.find(a.code));  // not live yet: nothing kept
  cache.reset(true);
  cache.put(a, cache.epoch());
  REQUIRE(cache.find(a.code));
  CHECK(cache.find(a.code)->state == "submitted");
  // A read that started before its dossier changed is not kept; one of another dossier is.
  auto epoch = cache.epoch();
  cache.invalidate(a.code);
  CHECK_FALSE(cache.find(a.code));
  cache.put(a, epoch);
  CHECK_FALSE(cache.find(a.code));
  cache.put(b, epoch);
  CHECK(cache.find(b.code));
  // A reset since the read, or more changes than the cache remembers, drop it too.
  epoch = cache.epoch();
  cache.reset(true);
  cache.put(b, epoch);
  CHECK_FALSE(cache.find(b.code));
  epoch = cache.epoch();
  for (std::size_t i = 0; i < StatusCache::kRecent; ++i) cache.invalidate("other");
  cache.put(b, epoch);
  CHECK_FALSE(cache.find(b.code));
  cache.put(b, cache.epoch());
  CHECK(cache.find(b.code));
  // Bounded: a full cache starts over.
  cache.put(a, cache.epoch());
  CHECK(cache.size() == 2);
  cache.put({"000.01.21.H57-261127-0003", "returned", 10, std::nullopt}, cache.epoch());
  CHECK(cache.size() == 1);
  // Changes may have been missed: everything goes, and nothing is served until live again.
  cache.reset(false);
  CHECK(cache.size() == 0);
  cache.put(a, cache.epoch());
  CHECK_FALSE(cache.find(a.code));
}

}  // namespace motcua::api
