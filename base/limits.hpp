#pragma once
// The input limits of motcua, in one place: what a request, a form or an attachment may hold. The
// api refuses larger input before it is parsed into a command, the engine refuses it before the
// database is touched, the store refuses it before it is written: all three read these constants,
// so a limit is changed here once. Plain constants; no dependencies.
#include <cstddef>

namespace motcua::base::limits {

inline constexpr std::size_t kFormFields = 200;             // fields in one form
inline constexpr std::size_t kFormBytes = 256 * 1024;       // all values of one form together
inline constexpr std::size_t kFieldValueBytes = 16 * 1024;  // one form value
inline constexpr std::size_t kTextBytes = 4000;             // a reason, a branch's answer
inline constexpr std::size_t kComponents = 100;             // components named in one request
inline constexpr std::size_t kIdempotencyKeyBytes = 200;    // an Idempotency-Key
inline constexpr std::size_t kAttachmentBytes = 32u << 20;  // one stored attachment (32 MiB)
inline constexpr std::size_t kUploadBytes = 20u << 20;      // one upload or document to verify
inline constexpr std::size_t kJsonBodyBytes = 64 * 1024;    // a JSON request body (most routes)
inline constexpr std::size_t kSubmissionBodyBytes = 4 * kJsonBodyBytes;  // a submission (its form)

}  // namespace motcua::base::limits
