// The public catalogue as published over HTTP by the real `motcua serve` (issue 10): the
// partial-online reason and basis, the same-day cut-off, the supplement window, the agencies with
// the deployment's ids, fees (fixed, per page with a cap, unknown with a text, never 0 VND),
// payment terms and the time limits in their unit, including those that follow the work type.
#include "tests/api/e2e_support.hpp"

namespace motcua::api::e2e {
namespace {

namespace json = boost::json;

json::object procedure(Client& c, const std::string& code) {
  auto reply = c.send("GET", "/api/v1/procedures/" + code);
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  return reply.json().as_object();
}

const json::object& find_by(const json::array& items, const char* key, const char* value) {
  for (const auto& item : items) {
    if (item.at(key).as_string() == value) return item.as_object();
  }
  FAIL("no item with " << key << " = " << value);
  throw std::logic_error("unreachable");
}

TEST_CASE("Catalogue API publishes what the law requires of each procedure") {
  ServeProcess server(fresh_database_url("motcua_api_catalog"));
  Client c(server.port);

  SUBCASE("construction permit: limits by work type, unknown fee, agencies with their ids") {
    const json::object p = procedure(c, "1.013225");
    CHECK(p.at("version").as_int64() == 2);
    CHECK(p.at("time_limit") == json::value({{"amount", 20}, {"unit", "days"}}));
    CHECK(p.at("time_limit_by_channel").as_object().empty());
    const json::object& by_field = p.at("time_limit_by_field").as_object();
    CHECK(by_field.at("field").as_string() == "work-type");
    CHECK(by_field.at("exhaustive").as_bool());
    const json::array& cases = by_field.at("cases").as_array();
    REQUIRE(cases.size() == 3);
    CHECK(find_by(cases, "value", "nhà ở riêng lẻ").at("limit") ==
          json::value({{"amount", 15}, {"unit", "days"}}));
    CHECK(find_by(cases, "value", "công trình cấp III").at("limit") ==
          json::value({{"amount", 20}, {"unit", "days"}}));
    CHECK(p.at("supplement_window") == json::value({{"amount", 7}, {"unit", "working-days"}}));
    CHECK(p.at("same_day_cutoff").is_null());
    const json::object& fee = p.at("fees").as_array().at(0).as_object();
    CHECK(fee.at("kind").as_string() == "unknown");
    CHECK(fee.at("amount_vnd").is_null());  // never 0 VND
    CHECK(std::string(fee.at("unknown").at("en").as_string()).find("People's Council") !=
          std::string::npos);
    CHECK(p.at("online").at("level").as_int64() == 3);
    CHECK_FALSE(p.at("online").at("partial_reason").as_string().empty());
    const json::array& agencies = p.at("agencies").as_array();
    const json::object& centre = find_by(agencies, "key", "commune-centre");
    CHECK(centre.at("receiving").as_bool());
    CHECK(centre.at("agency_id").as_string() == "000.01.21.H57");  // the demo deployment's id
    CHECK(find_by(agencies, "key", "land-office").at("agency_id").as_string() == "000.03.21.H57");
    CHECK(p.at("payment").at("online") == false);
  }
  SUBCASE("certified copy: desk only (level 2), the 15:00 rule, a per-page fee with its cap") {
    const json::object p = procedure(c, "2.000815");
    CHECK(p.at("online").at("level").as_int64() == 2);
    CHECK(p.at("online_level").as_int64() == 2);
    CHECK(std::string(p.at("online").at("partial_basis").as_string()).find("23/2015") !=
          std::string::npos);
    CHECK(p.at("same_day_cutoff").as_string() == "15:00");
    CHECK(p.at("time_limit") == json::value({{"amount", 0}, {"unit", "working-days"}}));
    CHECK(p.at("supplement_window") == json::value({{"amount", 3}, {"unit", "working-days"}}));
    const json::object& fee = p.at("fees").as_array().at(0).as_object();
    CHECK(fee.at("kind").as_string() == "per-page");
    CHECK(fee.at("amount_vnd").is_null());
    const json::object& rate = fee.at("per_page").as_object();
    CHECK(rate.at("first_pages").as_int64() == 2);
    CHECK(rate.at("first_page_vnd").as_int64() == 2000);
    CHECK(rate.at("page_vnd").as_int64() == 1000);
    CHECK(rate.at("cap_per_copy_vnd").as_int64() == 200000);
    CHECK(rate.at("pages_field").as_string() == "pages");
    CHECK(rate.at("copies_field").as_string() == "copies");
  }
  SUBCASE("household business: fixed fees per channel and the payment terms") {
    const json::object p = procedure(c, "1.001612");
    const json::array& fees = p.at("fees").as_array();
    CHECK(find_by(fees, "id", "fee-desk").at("amount_vnd").as_int64() == 50000);
    CHECK(find_by(fees, "id", "fee-desk").at("channel").as_string() == "desk");
    CHECK(p.at("payment").at("online") == true);
    CHECK(p.at("payment").at("at").as_string() == "submission");
    CHECK(std::string(p.at("payment").at("terms").at("en").as_string()).find("not refunded") !=
          std::string::npos);
    CHECK(p.at("online").at("partial_reason").is_null());  // full online
  }
  SUBCASE("judicial record certificate: received and decided by the provincial police") {
    const json::object p = procedure(c, "3.000333");
    const json::array& agencies = p.at("agencies").as_array();
    REQUIRE(agencies.size() == 1);
    CHECK(agencies[0].at("level").as_string() == "province");
    CHECK(agencies[0].at("receiving").as_bool());
    CHECK(agencies[0].at("agency_id").as_string() == "000.00.04.H57");
    CHECK(p.at("fees").as_array().at(0).at("amount_vnd").is_null());
  }
  SUBCASE("land certificate: the provincial land registration office, not the ward's") {
    const json::object p = procedure(c, "1.012783");
    const json::object& office =
        find_by(p.at("agencies").as_array(), "key", "land-registration-office");
    CHECK(office.at("level").as_string() == "province");
    CHECK(office.at("agency_id").as_string() == "000.00.06.H57");
    CHECK(p.at("time_limit_by_channel").at("online") ==
          json::value({{"amount", 15}, {"unit", "working-days"}}));
    CHECK(p.at("time_limit_by_field").is_null());
  }
}

}  // namespace
}  // namespace motcua::api::e2e
