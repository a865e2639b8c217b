#pragma once
// AttachmentStore: content-addressed attachments, stored once however many dossiers cite them.
// Thread-safe. Errors (common): kIo when the database fails.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::engine {

struct Attachment {
  std::string sha256;      // lowercase hex of `content`
  std::int64_t size = 0;   // bytes
  std::string media_type;  // e.g. "application/pdf"
  std::string content;     // the bytes
};

class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;
  // Stores the bytes unless an attachment with the same SHA-256 exists; returns the SHA-256.
  // Errors: kInvalidInput for an empty media type or content larger than the store's limit.
  virtual Result<std::string> put(std::string_view content, std::string_view media_type) = 0;
  // Errors: kNotFound.
  virtual Result<Attachment> get(std::string_view sha256) = 0;
};

}  // namespace motcua::engine
