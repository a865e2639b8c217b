#pragma once
// Renders the receipt (schemas/receipt.xsd) and the result document (schemas/result.xsd) as UTF-8
// XML with libxml2's tree API, which escapes every text and attribute value. The content must
// already be resolved and checked (document_issuer.cpp does both; DocumentSchema validates the
// output); these functions only fail when libxml2 does (kInternal). Thread-safe.
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/procedure.hpp"

namespace motcua::documents {

inline constexpr std::string_view kReceiptNamespace = "urn:motcua:receipt:1";
inline constexpr std::string_view kResultNamespace = "urn:motcua:result:1";
// Form 01 and its legal basis.
inline constexpr std::string_view kReceiptTitle = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả";
inline constexpr std::string_view kReceiptBasis =
    "Mẫu số 01, Thông tư 03/2025/TT-VPCP (thay thế Thông tư 01/2018/TT-VPCP)";

// The note a receipt carries when its appointment depends on days off not yet decreed.
inline constexpr std::string_view kProvisionalDueVi =
    "Ngày hẹn trả kết quả là tạm tính: ngày này phụ thuộc vào ngày nghỉ chưa được cơ quan có thẩm "
    "quyền công bố và có thể thay đổi khi lịch nghỉ được công bố.";
inline constexpr std::string_view kProvisionalDueEn =
    "The appointment is provisional: it depends on days off that are not yet decreed and may "
    "change when they are.";

struct AgencyContent {
  std::string id;  // QCVN 102 agency id
  engine::Text name;
};

struct ProcedureContent {
  std::string code;
  int version = 1;
  engine::Text name;
};

struct ComponentContent {
  std::string id;
  engine::Text name;
  int originals = 0;
  int copies = 0;
  bool digitised = false;
};

struct PersonContent {
  std::string login;
  std::string role;  // may be empty (receipt only)
  std::string name;
};

struct ReceiptContent {
  std::string id;  // root Id
  AgencyContent agency;
  std::string dossier_code;
  ProcedureContent procedure;
  std::string applicant;
  std::vector<ComponentContent> components;
  std::string channel;   // "desk", "online", "postal"
  std::string received;  // ISO 8601 with offset
  std::string due;
  std::vector<std::string> due_provisional;  // YYYY-MM-DD days not yet decreed; empty = firm
  PersonContent officer;
};

struct ResultContent {
  std::string id;
  AgencyContent agency;
  std::string dossier_code;
  ProcedureContent procedure;
  std::string applicant;
  std::string document_id;
  std::string document_code;
  engine::Text document_name;
  bool approved = true;
  std::string reason;  // refused only
  std::string issued;
  PersonContent signer;
};

engine::Result<std::string> render_receipt(const ReceiptContent& content);
engine::Result<std::string> render_result(const ResultContent& content);

}  // namespace motcua::documents
