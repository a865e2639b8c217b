#include "store/sql_attachment_store.hpp"

#include <algorithm>

#include "engine/audit_chain.hpp"
#include "store/internal/guarded.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {

using engine::deny;
using engine::ErrorCode;

engine::Result<std::string> SqlAttachmentStore::put(std::string_view content,
                                                    std::string_view media_type) {
  if (media_type.empty() || media_type.size() > 255 ||
      media_type.find('/') == std::string_view::npos)
    return deny(ErrorCode::kInvalidInput,
                "an attachment needs a media type such as application/pdf");
  if (content.size() > kMaxSize)
    return deny(ErrorCode::kInvalidInput, "attachment larger than 32 MiB");
  auto digest = engine::sha256(content);
  if (!digest) return tl::unexpected(digest.error());
  std::string sha = engine::to_hex(*digest), type(media_type), data = to_hex_text(content);
  long long size = static_cast<long long>(content.size());
  const bool pg = db_->backend() == Backend::kPostgresql;
  return detail::guarded("storing an attachment", [&]() -> engine::Result<std::string> {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    // ON CONFLICT DO NOTHING keeps the first copy when two uploads of the same bytes race.
    sql << std::string(
               "INSERT INTO attachments (sha256, size, media_type, content) VALUES (:s, :n, :t, ") +
               (pg ? "decode(:c, 'hex')" : ":c") + ") ON CONFLICT (sha256) DO NOTHING",
        soci::use(sha), soci::use(size), soci::use(type), soci::use(data);
    return sha;
  });
}

engine::Result<engine::Attachment> SqlAttachmentStore::get(std::string_view sha_view) {
  engine::Attachment a;
  a.sha256 = std::string(sha_view);
  std::string data;
  long long size = 0;
  return detail::guarded("reading an attachment", [&]() -> engine::Result<engine::Attachment> {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << std::string("SELECT size, media_type, ") +
               (db_->backend() == Backend::kPostgresql ? "encode(content, 'hex')" : "content") +
               " FROM attachments WHERE sha256 = :s",
        soci::use(a.sha256), soci::into(size), soci::into(a.media_type), soci::into(data);
    if (!sql.got_data()) return deny(ErrorCode::kNotFound, "no attachment " + a.sha256);
    auto bytes = from_hex_text(data, "attachment");
    if (!bytes) return tl::unexpected(bytes.error());
    a.content = std::move(*bytes);
    a.size = size;
    return a;
  });
}

}  // namespace motcua::store
