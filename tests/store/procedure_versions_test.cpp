#include "engine/audit_chain.hpp"
#include "store/sql_procedure_versions.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;
using engine::ErrorCode;

namespace {
engine::ProcedureVersionRecord record(int version, std::string definition) {
  std::string hash = engine::to_hex(engine::sha256(definition).value());
  return engine::ProcedureVersionRecord{"1.001612", version, hash, std::move(definition),
                                        instant(1795000000)};
}
}  // namespace

TEST_CASE("Procedure versions are stored with their hash and never change") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlProcedureVersions repo(db);
    REQUIRE(repo.save(record(1, "<procedure code=\"1.001612\">Đăng ký kinh doanh</procedure>")));
    CHECK(repo.save(
        record(1, "<procedure code=\"1.001612\">Đăng ký kinh doanh</procedure>")));  // same: no-op
    auto changed = repo.save(record(1, "<procedure>changed</procedure>"));
    REQUIRE_FALSE(changed);
    CHECK(changed.error().code == ErrorCode::kConflict);
    auto wrong_hash = record(2, "<v2/>");
    wrong_hash.hash = std::string(64, '0');
    CHECK(repo.save(wrong_hash).error().code == ErrorCode::kInvalidInput);
    REQUIRE(repo.save(record(2, "<v2/>")));

    auto v1 = repo.find("1.001612", 1);
    REQUIRE(v1);
    CHECK(v1->definition == "<procedure code=\"1.001612\">Đăng ký kinh doanh</procedure>");
    CHECK(v1->hash == record(1, v1->definition).hash);
    CHECK(repo.latest("1.001612").value().version == 2);
    CHECK(repo.find("1.001612", 3).error().code == ErrorCode::kNotFound);
    CHECK(repo.latest("9.999999").error().code == ErrorCode::kNotFound);
  }
}

}  // namespace motcua::store
