#pragma once
// Checks text before it goes into an XML document that motcua renders and signs: valid UTF-8 (no
// overlong forms, surrogates or values above U+10FFFF), only characters XML 1.0 can carry (no
// control characters other than tab, CR and LF, no U+FFFE / U+FFFF), and at most `max_bytes`.
// Pure function, thread-safe.
#include <cstddef>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::documents {

// Errors: kInvalidInput naming `what` ("applicant name", ...) and the problem.
engine::Status check_xml_text(std::string_view text, std::string_view what, std::size_t max_bytes,
                              bool required = true);

}  // namespace motcua::documents
