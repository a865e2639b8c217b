// The storage ports' contract (tests/store/contract/port_contract.hpp) on the SQL adapters: SQLite
// always, PostgreSQL when MOTCUA_TEST_PG names a database.
#include "tests/store/contract/port_contract.hpp"

#include "store/sql_dossier_queries.hpp"
#include "store/sql_dossier_store.hpp"
#include "store/sql_procedure_versions.hpp"
#include "store/sql_tracking_secrets.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store::testing {
namespace {

void each_sql_database(const std::function<void(contract::PortsUnderTest&)>& body) {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlDossierStore store(db);
    SqlDossierQueries queries(db);
    SqlTrackingSecrets secrets(db);
    SqlProcedureVersions versions(db);
    contract::PortsUnderTest p{&store, &queries, &secrets, &versions,
                               [db](const std::string& table) {
                                 soci::session sql(db->pool().connections);
                                 long long n = -1;
                                 sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
                                 return n;
                               }};
    body(p);
  }
}

}  // namespace

MOTCUA_PORT_CONTRACT(each_sql_database, "SQL store:")

}  // namespace motcua::store::testing
