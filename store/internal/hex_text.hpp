#pragma once
// Attachment bytes travel as lowercase hex text: stored as such on SQLite and converted to bytea on
// PostgreSQL (SqlAttachmentStore, SqlDocuments). Pure functions; thread-safe.
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::store {

std::string to_hex_text(std::string_view bytes);
// Errors: kInternal ("stored <what> is not hex") for odd lengths or characters outside [0-9a-f].
engine::Result<std::string> from_hex_text(std::string_view text, std::string_view what);

}  // namespace motcua::store
