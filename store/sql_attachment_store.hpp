#pragma once
// The engine's AttachmentStore on SQLite or PostgreSQL (engine/ports/attachment_store.hpp):
// content-addressed by SHA-256, stored once (PostgreSQL: bytea; SQLite: hex text). Thread-safe.
#include <memory>

#include "base/limits.hpp"
#include "engine/ports/attachment_store.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlAttachmentStore final : public engine::AttachmentStore {
 public:
  static constexpr std::size_t kMaxSize = base::limits::kAttachmentBytes;
  explicit SqlAttachmentStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<std::string> put(std::string_view content, std::string_view media_type) override;
  engine::Result<engine::Attachment> get(std::string_view sha256) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
