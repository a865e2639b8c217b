#include "documents/internal/xml_text.hpp"

#include <doctest/doctest.h>

namespace motcua::documents {

TEST_CASE("check_xml_text accepts Vietnamese UTF-8 and refuses what XML cannot carry") {
  CHECK(check_xml_text("Nguyễn Thị Hồng Nhung\tPhường Thuận Hóa\r\n", "name", 100).has_value());
  CHECK(check_xml_text("𠀀 (U+20000)", "name", 100).has_value());
  CHECK(check_xml_text("", "optional", 10, false).has_value());
  const char* bad[] = {
      "",                  // required and empty
      "   ",               // only blanks
      "a\x01",             // control character
      "a\x7F\xC3",         // truncated sequence
      "\xC0\xAF",          // overlong '/'
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xEF\xBF\xBE",      // U+FFFE
      "\xFF",              // never valid
      "\xE1\xBB",          // cut in the middle of "ễ"
  };
  for (const char* text : bad) {
    CAPTURE(text);
    auto checked = check_xml_text(text, "name", 100);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == engine::ErrorCode::kInvalidInput);
    CHECK(checked.error().message.rfind("name ", 0) == 0);
  }
  CHECK_FALSE(check_xml_text(std::string(101, 'a'), "name", 100).has_value());
  CHECK(check_xml_text(std::string("a\0b", 3), "name", 100).has_value() == false);
}

}  // namespace motcua::documents
