// Form values against the fields a procedure declares.
#include "engine/internal/form.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace motcua::engine {
namespace {

Field field(std::string id, FieldType type) {
  Field f;
  f.id = std::move(id);
  f.type = type;
  return f;
}

bool valid(const Field& f, std::string_view value) { return !validate_field(f, value).has_value(); }

TEST_CASE("Form text counts Vietnamese characters, not bytes") {
  Field name = field("investor-name", FieldType::kText);
  name.max_length = 14;
  const std::string vietnamese = "Nguyễn Thị Ánh";  // 14 code points, 19 bytes
  REQUIRE(vietnamese.size() > 14);
  CHECK(utf8_length(vietnamese) == 14u);
  CHECK(valid(name, vietnamese));
  CHECK_FALSE(valid(name, vietnamese + "!"));
  const auto error = validate_field(name, vietnamese + "!");
  REQUIRE(error);
  CHECK(error->field == "investor-name");
  CHECK(error->message.find("15 characters") != std::string::npos);
}

TEST_CASE("Form text refuses invalid UTF-8 and control characters") {
  const Field text = field("note", FieldType::kText);
  CHECK(valid(text, "Đường Lê Lợi, phường Thuận Hóa\nThành phố Huế"));
  CHECK_FALSE(valid(text, "\xC3"));              // truncated
  CHECK_FALSE(valid(text, "\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(valid(text, "\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(valid(text, "\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(valid(text, "\xFF"));
  CHECK_FALSE(valid(text, std::string("a\0b", 3)));  // NUL
  CHECK_FALSE(valid(text, "a\x1b[31m"));
  CHECK_FALSE(valid(text, std::string(base::limits::kFieldValueBytes + 1, 'a')));
}

TEST_CASE("Form text refuses characters the issued documents cannot carry (non-characters, C1)") {
  const Field text = field("full-name", FieldType::kText);
  // Valid UTF-8 each, but not XML 1.0 characters or Unicode non-characters: a receipt could never
  // be rendered for them, so the submission is refused.
  struct Case {
    const char* bytes;
    const char* named;
  };
  for (const Case& c : {Case{"Nguy\xEF\xBF\xBEn", "U+FFFE"},  // U+FFFE
                        Case{"A\xEF\xBF\xBF", "U+FFFF"},      // U+FFFF
                        Case{"\xEF\xB7\x90x", "U+FDD0"},      // U+FDD0
                        Case{"\xEF\xB7\xAF", "U+FDEF"},       // U+FDEF
                        Case{"\xF0\x9F\xBF\xBE", "U+1FFFE"},  // plane 1 non-character
                        Case{"\xF4\x8F\xBF\xBF", "U+10FFFF"},
                        Case{"a\xC2\x85"
                             "b",
                             "U+0085"},  // C1 control (NEL)
                        Case{"\x7f", "U+007F"}}) {
    CAPTURE(c.named);
    REQUIRE(utf8_length(c.bytes));
    const auto problem = validate_field(text, c.bytes);
    REQUIRE(problem);
    CHECK(problem->code == ErrorCode::kInvalidInput);
    CHECK(problem->message.find(c.named) != std::string::npos);
    CHECK(unsupported_character(c.bytes).has_value());
  }
  // Their neighbours are ordinary characters.
  for (const char* ok : {"\xEF\xBF\xBD",      // U+FFFD replacement character
                         "\xEF\xB7\x8F",      // U+FDCF
                         "\xEF\xB7\xB0",      // U+FDF0
                         "\xF0\x9F\xBF\xBD",  // U+1FFFD
                         "\xC2\xA0",          // U+00A0 no-break space
                         "Trần Thị Ánh\tb\r\n"}) {
    CAPTURE(ok);
    CHECK(valid(text, ok));
    CHECK_FALSE(unsupported_character(ok).has_value());
  }
  CHECK(code_point_name(0xfffe) == "U+FFFE");
  CHECK(code_point_name(0x10ffff) == "U+10FFFF");
}

TEST_CASE("Form text matches its whole pattern") {
  Field parcel = field("parcel", FieldType::kText);
  parcel.pattern = "[0-9]+/[0-9]+";
  CHECK(valid(parcel, "125/7"));
  CHECK_FALSE(valid(parcel, "125/7a"));
  CHECK_FALSE(valid(parcel, "x125/7"));
  CHECK_FALSE(valid(parcel, std::string(2000, '1')));  // too long to hand to std::regex
  parcel.pattern = "([0-9";
  const auto error = validate_field(parcel, "1");
  REQUIRE(error);
  CHECK(error->code == ErrorCode::kInvalidDefinition);
}

TEST_CASE("Form patterns give the same verdicts when checked again and from many threads at once") {
  Field parcel = field("parcel", FieldType::kText);
  parcel.pattern = "[0-9]+/[0-9]+";
  Field broken = field("broken", FieldType::kText);
  broken.pattern = "([0-9";
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string good = std::to_string(t * 1000 + i) + "/" + std::to_string(i);
        if (!valid(parcel, good)) ++wrong;
        if (valid(parcel, good + "x")) ++wrong;
        const auto error = validate_field(broken, "1");
        if (!error || error->code != ErrorCode::kInvalidDefinition) ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(wrong == 0);
  // Another field with another pattern is not confused with the first.
  Field other = field("other", FieldType::kText);
  other.pattern = "[a-z]+";
  CHECK(valid(other, "abc"));
  CHECK_FALSE(valid(other, "125/7"));
  CHECK(valid(parcel, "125/7"));
}

TEST_CASE("Form number accepts plain decimals within its bounds") {
  Field area = field("floor-area", FieldType::kNumber);
  area.min = 1;
  area.max = 100000;
  CHECK(valid(area, "1"));
  CHECK(valid(area, "120.5"));
  CHECK(valid(area, "100000"));
  CHECK_FALSE(valid(area, "0.99"));
  CHECK_FALSE(valid(area, "100000.01"));
  CHECK_FALSE(valid(area, "-5"));
  for (const char* bad :
       {"", "12a", "1e3", "+3", " 3", "3 ", ".5", "5.", "1,5", "nan", "inf", "--1", "0x10"}) {
    CAPTURE(bad);
    CHECK_FALSE(valid(area, bad));
  }
  const Field any = field("n", FieldType::kNumber);
  CHECK(valid(any, "-3.25"));
}

TEST_CASE("Form date accepts only existing ISO dates") {
  const Field date = field("birth-date", FieldType::kDate);
  CHECK(valid(date, "2026-02-28"));
  CHECK(valid(date, "2024-02-29"));
  CHECK_FALSE(valid(date, "2026-02-29"));
  CHECK_FALSE(valid(date, "2026-02-30"));
  CHECK_FALSE(valid(date, "2026-13-01"));
  CHECK_FALSE(valid(date, "2026-00-10"));
  CHECK_FALSE(valid(date, "2026-2-3"));
  CHECK_FALSE(valid(date, "02/03/2026"));
  CHECK_FALSE(valid(date, "2026-02-03T00:00"));
  CHECK_FALSE(valid(date, "20x6-02-03"));
}

TEST_CASE("Form enum accepts exactly one of its options") {
  Field kind = field("work-type", FieldType::kEnum);
  kind.options = {"nhà ở riêng lẻ", "công trình cấp III"};
  CHECK(valid(kind, "nhà ở riêng lẻ"));
  CHECK_FALSE(valid(kind, "nha o rieng le"));
  CHECK_FALSE(valid(kind, "nhà ở riêng lẻ "));
  CHECK_FALSE(valid(kind, "công trình cấp IV"));
}

TEST_CASE("Form personal id has exactly 12 digits and its pattern") {
  Field id = field("personal-id", FieldType::kPersonalId);
  CHECK(valid(id, "046095001234"));
  CHECK_FALSE(valid(id, "04609500123"));
  CHECK_FALSE(valid(id, "0460950012345"));
  CHECK_FALSE(valid(id, "04609500123a"));
  CHECK_FALSE(valid(id, "046 095 001 234"));
  CHECK_FALSE(valid(id, "０４６０９５００１２３４"));  // full-width digits
  id.pattern = "046[0-9]{9}";
  CHECK(valid(id, "046095001234"));
  CHECK_FALSE(valid(id, "001095001234"));
}

TEST_CASE("Form validation reports required, invalid and undeclared fields together") {
  Field name = field("investor-name", FieldType::kText);
  name.required = true;
  Field id = field("personal-id", FieldType::kPersonalId);
  id.required = true;
  Field note = field("note", FieldType::kText);
  const std::vector<Field> fields{name, id, note};

  CHECK(validate_form(fields, {{"investor-name", "Trần Văn Bình"}, {"personal-id", "046095001234"}})
            .empty());
  const auto errors =
      validate_form(fields, {{"investor-name", ""}, {"personal-id", "123"}, {"salary", "1000"}});
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].field == "investor-name");
  CHECK(errors[0].message == "this field is required");
  CHECK(errors[1].field == "personal-id");
  CHECK(errors[2].field == "salary");
  CHECK(validate_form(fields, {}).size() == 2);
}

}  // namespace
}  // namespace motcua::engine
