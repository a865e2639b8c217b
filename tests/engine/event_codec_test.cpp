#include "engine/event_codec.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace motcua::engine {
namespace {

Instant at(std::int64_t seconds) { return Instant{std::chrono::seconds{seconds}}; }

// An event with every field set to something other than its default.
Event full_event() {
  Event e;
  e.kind = EventKind::kTransitioned;
  e.at = at(1795000000);
  e.actor = Actor{ActorKind::kApplicant, "nguyễn.văn.a", "000.00.14.H20", "applicant"};
  e.action = "request-supplement";
  e.from_state = "thẩm-định";
  e.to_state = "chờ-bổ-sung";
  e.branch = "fire-police";
  e.reason =
      "Thiếu bản sao Giấy chứng nhận quyền sử dụng đất \"có chứng thực\"\n\tdòng 2 \\ kết thúc";
  e.components = {"don-de-nghi", "ban-ve", ""};
  e.due = at(1795600000);
  e.step_due = at(1795300000);
  BranchTask b;
  b.branch = "b1";
  b.agency_id = "000.00.14.H20";
  b.role = "officer";
  b.opened = at(1795000000);
  b.due = at(1795100000);
  b.completed = at(1795050000);
  b.handler = "trần.thị.b";
  b.answer = "Đồng ý";
  b.verdict = Verdict::kEarly;
  e.branches_opened = {b, BranchTask{}};
  e.verdict = Verdict::kLate;
  e.clock_start = at(1795001000);
  e.status = StatusCode::kSupplementRequested;
  e.agency_id = "000.00.14.H20";
  e.answer = "ý kiến";
  e.issues_result = true;
  e.code = "000.00.14.H20-261127-0007";
  e.procedure_code = "1.001612";
  e.procedure_version = 3;
  e.procedure_hash = std::string(64, 'a');
  e.channel = Channel::kPostal;
  e.agency_ids = {{"commune", "000.00.14.H20"}, {"tỉnh", "000.00.00.H20"}};
  e.form = {{"investor-name", "Nguyễn Văn \"A\""}, {"address", "Số 1\nPhố Huế"}, {"storeys", "3"}};
  return e;
}

}  // namespace

TEST_CASE("Event codec round-trips every field, Vietnamese text included") {
  const Event e = full_event();
  auto bytes = encode_event(e, 42);
  REQUIRE(bytes);
  CHECK(bytes->find("Thiếu bản sao") != std::string::npos);  // UTF-8 written as is
  auto back = decode_event(*bytes);
  REQUIRE(back);
  CHECK(back->seq == 42);
  CHECK(back->event == e);
  CHECK(encode_event(back->event, 42).value() == *bytes);
}

TEST_CASE("Event codec round-trips a default event with empty optionals") {
  Event e;
  auto bytes = encode_event(e, 1);
  REQUIRE(bytes);
  // Format 3 leaves out every field at its default; "at", "kind", "seq" and "v" always stay.
  CHECK(*bytes == R"({"at":0,"kind":"transitioned","seq":1,"v":3})");
  auto back = decode_event(*bytes);
  REQUIRE(back);
  CHECK(back->event == e);
}

TEST_CASE("Event codec output is canonical: sorted keys, no whitespace, versioned") {
  Event e;
  e.kind = EventKind::kRedated;
  e.reason = "tab\there\x01";
  e.actor.user = "lê.văn.c";
  e.channel = Channel::kDesk;
  auto bytes = encode_event(e, 7).value();
  CHECK(bytes == R"({"actor":{"user":"lê.văn.c"},"at":0,"channel":"desk","kind":"redated",)"
                 R"("reason":"tab\there\u0001","seq":7,"v":3})");
  CHECK(encode_event(e, 7).value() == bytes);  // deterministic
  auto back = decode_event(bytes);
  REQUIRE(back);
  CHECK(back->event == e);
}

TEST_CASE("Event codec format 3 refuses a field written at its default, and a missing one") {
  const std::string good = R"({"at":0,"kind":"redated","seq":7,"v":3})";
  REQUIRE(decode_event(good));
  CHECK_FALSE(decode_event(R"({"answer":"","at":0,"kind":"redated","seq":7,"v":3})"));
  CHECK_FALSE(decode_event(R"({"at":0,"channel":"online","kind":"redated","seq":7,"v":3})"));
  CHECK_FALSE(decode_event(R"({"at":0,"kind":"redated","seq":7,"status":null,"v":3})"));
  CHECK_FALSE(decode_event(R"({"at":0,"issues_result":false,"kind":"redated","seq":7,"v":3})"));
  CHECK_FALSE(decode_event(R"({"at":0,"kind":"redated","v":3})"));   // no seq
  CHECK_FALSE(decode_event(R"({"kind":"redated","seq":7,"v":3})"));  // no at
  CHECK_FALSE(decode_event(R"({"at":0,"seq":7,"v":3})"));            // no kind
}

TEST_CASE("Event codec format 3 is several times smaller than format 2 for a typical event") {
  Event e;
  e.kind = EventKind::kTransitioned;
  e.at = at(1795000000);
  e.actor = Actor{ActorKind::kOfficer, "trần.thị.b", "000.29.14.H57", "officer"};
  e.action = "propose";
  e.from_state = "appraisal";
  e.to_state = "approval";
  e.status = StatusCode::kProcessing;
  e.agency_id = "000.29.14.H57";
  e.step_due = at(1795300000);
  const std::string bytes = encode_event(e, 5).value();
  // Format 2 wrote all 27 fields (about 560 bytes for this event); format 3 writes 12.
  CHECK(bytes.size() < 300);
  CHECK(decode_event(bytes).value().event == e);
}

TEST_CASE("Event codec refuses bad events") {
  Event e;
  SUBCASE("invalid UTF-8") {
    e.reason = "\xC3\x28";
    auto r = encode_event(e, 1);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kInvalidInput);
    CHECK(r.error().message.find("reason") != std::string::npos);
  }
  SUBCASE("overlong UTF-8") {
    e.actor.user = "\xC0\xAF";
    CHECK_FALSE(encode_event(e, 1));
  }
  SUBCASE("truncated UTF-8") {
    e.components = {"ok", "\xE1\xBB"};
    CHECK_FALSE(encode_event(e, 1));
  }
  SUBCASE("enum out of range") {
    e.verdict = static_cast<Verdict>(9);
    CHECK_FALSE(encode_event(e, 1));
  }
  SUBCASE("seq below 1") { CHECK_FALSE(encode_event(e, 0)); }
}

TEST_CASE("Event codec decode refuses malformed, hostile and non-canonical input") {
  const std::string good = encode_event(full_event(), 3).value();
  auto refuses = [](const std::string& bytes) {
    auto r = decode_event(bytes);
    return !r && r.error().code == ErrorCode::kInvalidInput;
  };
  CHECK(refuses(""));
  CHECK(refuses("null"));
  CHECK(refuses("[]"));
  CHECK(refuses("{}"));
  CHECK(refuses(good.substr(0, good.size() - 1)));                // truncated
  CHECK(refuses(good + " "));                                     // trailing bytes
  CHECK(refuses(" " + good));                                     // whitespace
  CHECK(refuses(std::string(100, '[') + std::string(100, ']')));  // deep nesting
  CHECK(refuses(std::string(kMaxEncodedEventSize + 1, ' ')));     // oversized
  std::string s = good;
  SUBCASE("unknown field") { s.insert(1, "\"zzz\":1,"); }
  SUBCASE("unknown format version") { s.replace(s.find("\"v\":3"), 5, "\"v\":4"); }
  SUBCASE("version 1 with a form") { s.replace(s.find("\"v\":3"), 5, "\"v\":1"); }
  SUBCASE("version 2 without its always-present fields") {
    s.replace(s.find("\"v\":3"), 5, "\"v\":2");
  }
  SUBCASE("form value not a string") {
    s.replace(s.find("\"storeys\":\"3\""), 13, "\"storeys\":3");
  }
  SUBCASE("unknown kind") {
    s.replace(s.find("\"kind\":\"transitioned\""), 21, "\"kind\":\"exploded\"");
  }
  SUBCASE("non-canonical number") { s.replace(s.find("\"seq\":3"), 7, "\"seq\":03"); }
  SUBCASE("needless escape") {
    auto at = s.find("request-supplement");
    s.replace(at, 1, "\\u0072");
  }
  SUBCASE("wrong type") {
    s.replace(s.find("\"procedure_version\":3"), 21, "\"procedure_version\":\"3\"");
  }
  SUBCASE("invalid UTF-8 inside a string") { s.replace(s.find("Đồng"), 2, "\xFF\xFE"); }
  CHECK(refuses(s));
}

TEST_CASE("Event codec records the submitted form in sorted key order") {
  Event e;
  e.kind = EventKind::kSubmitted;
  e.form = {{"storeys", "3"}, {"address", "Số 1, Phố Huế"}, {"", "empty key"}};
  const std::string bytes = encode_event(e, 1).value();
  CHECK(
      bytes.find("\"form\":{\"\":\"empty key\",\"address\":\"Số 1, Phố Huế\",\"storeys\":\"3\"}") !=
      std::string::npos);
  auto back = decode_event(bytes);
  REQUIRE(back);
  CHECK(back->event.form == e.form);
  SUBCASE("a value that is not UTF-8 is refused, naming the form") {
    e.form["storeys"] = "\xC3\x28";
    auto r = encode_event(e, 1);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("form") != std::string::npos);
  }
  SUBCASE("a key that is not UTF-8 is refused") {
    e.form["\xFF"] = "x";
    CHECK_FALSE(encode_event(e, 1));
  }
  SUBCASE("an event larger than the decoder accepts is refused") {
    e.form["big"] = std::string(kMaxEncodedEventSize, 'x');
    auto r = encode_event(e, 1);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kInvalidInput);
  }
}

// What the format 2 encoder wrote (every field present) for full_event() at seq 5 and for a
// default event at seq 1: stored rows of that format must keep decoding to the same events.
const char* const kFormat2Full =
    "{\"action\":\"request-supplement\",\"actor\":{\"agency_id\":\"000.00.14.H20\",\"kind\":"
    "\"applicant\",\"role\":\"applicant\",\"user\":\"nguyễn.văn.a\"},\"agency_id\":\"000.00.14."
    "H20\",\"agency_ids\":{\"commune\":\"000.00.14.H20\",\"tỉnh\":\"000.00.00.H20\"},\"answer\":"
    "\"ý "
    "kiến\",\"at\":1795000000,\"branch\":\"fire-police\",\"branches_opened\":[{\"agency_id\":\"000."
    "00.14.H20\",\"answer\":\"Đồng "
    "ý\",\"branch\":\"b1\",\"completed\":1795050000,\"due\":1795100000,\"handler\":\"trần.thị.b\","
    "\"opened\":1795000000,\"role\":\"officer\",\"verdict\":\"early\"},{\"agency_id\":\"\","
    "\"answer\":\"\",\"branch\":\"\",\"completed\":null,\"due\":0,\"handler\":\"\",\"opened\":0,"
    "\"role\":\"\",\"verdict\":\"none\"}],\"channel\":\"postal\",\"clock_start\":1795001000,"
    "\"code\":\"000.00.14.H20-261127-0007\",\"components\":[\"don-de-nghi\",\"ban-ve\",\"\"],"
    "\"due\":1795600000,\"form\":{\"address\":\"Số 1\\nPhố Huế\",\"investor-name\":\"Nguyễn Văn "
    "\\\"A\\\"\",\"storeys\":\"3\"},\"from_state\":\"thẩm-định\",\"issues_result\":true,\"kind\":"
    "\"transitioned\",\"procedure_code\":\"1.001612\",\"procedure_hash\":"
    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"procedure_version\":3,"
    "\"reason\":\"Thiếu bản sao Giấy chứng nhận quyền sử dụng đất \\\"có chứng thực\\\"\\n\\tdòng "
    "2 \\\\ kết "
    "thúc\",\"seq\":5,\"status\":5,\"step_due\":1795300000,\"to_state\":\"chờ-bổ-sung\",\"v\":2,"
    "\"verdict\":\"late\"}";
const char* const kFormat2Default =
    "{\"action\":\"\",\"actor\":{\"agency_id\":\"\",\"kind\":\"officer\",\"role\":\"\",\"user\":"
    "\"\"},\"agency_id\":\"\",\"agency_ids\":{},\"answer\":\"\",\"at\":0,\"branch\":\"\","
    "\"branches_opened\":[],\"channel\":\"online\",\"clock_start\":null,\"code\":\"\","
    "\"components\":[],\"due\":null,\"form\":{},\"from_state\":\"\",\"issues_result\":false,"
    "\"kind\":\"transitioned\",\"procedure_code\":\"\",\"procedure_hash\":\"\",\"procedure_"
    "version\":0,\"reason\":\"\",\"seq\":1,\"status\":null,\"step_due\":null,\"to_state\":\"\","
    "\"v\":2,\"verdict\":\"none\"}";

TEST_CASE("Event codec still reads format 2 events, written with every field present") {
  auto full = decode_event(kFormat2Full);
  REQUIRE_MESSAGE(full.has_value(), (full ? std::string() : full.error().message));
  CHECK(full->seq == 5);
  CHECK(full->event == full_event());
  auto empty = decode_event(kFormat2Default);
  REQUIRE(empty);
  CHECK(empty->event == Event{});
  // Format 2 requires every field: one left out is refused.
  std::string v2 = kFormat2Default;
  v2.erase(v2.find("\"answer\":\"\","), 12);
  CHECK_FALSE(decode_event(v2));
  // The encoder now writes format 3, which decodes to the same event.
  CHECK(decode_event(encode_event(full_event(), 5).value()).value().event == full_event());
}

TEST_CASE("Event codec still reads format 1 events, written before forms were recorded") {
  // Format 1 is format 2 without "form".
  Event e = full_event();
  e.form.clear();
  std::string v1 = kFormat2Full;
  const std::size_t form = v1.find("\"form\":{");
  v1.erase(form, v1.find('}', form) + 2 - form);
  v1.replace(v1.find("\"v\":2"), 5, "\"v\":1");
  auto back = decode_event(v1);
  REQUIRE_MESSAGE(back.has_value(), (back ? std::string() : back.error().message));
  CHECK(back->seq == 5);
  CHECK(back->event == e);
  // A format 1 event is canonical only without "form"; format 2 requires it.
  std::string v2_without_form = v1;
  v2_without_form.replace(v2_without_form.find("\"v\":1"), 5, "\"v\":2");
  CHECK_FALSE(decode_event(v2_without_form));
}

}  // namespace motcua::engine
