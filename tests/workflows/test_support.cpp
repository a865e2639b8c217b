#include "tests/workflows/test_support.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace motcua::workflows::testing {

const ProcedureLoader& loader() {
  static XmlLibrary library;
  static const ProcedureLoader instance = [] {
    auto created = ProcedureLoader::create(kSchemaPath);
    if (!created) throw std::runtime_error(created.error().message);
    return std::move(*created);
  }();
  return instance;
}

const Diagnostic* find(const Diagnostics& diagnostics, std::string_view text) {
  for (const Diagnostic& d : diagnostics) {
    if (d.message.find(text) != std::string::npos) return &d;
  }
  return nullptr;
}

std::string dump(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

std::string catalog_file(const std::string& name) {
  std::ifstream in(kCatalogDir + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing catalogue file " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace motcua::workflows::testing

namespace motcua::workflows::testing {

const std::string& minimal_definition() {
  static const std::string text = R"(<?xml version="1.0" encoding="UTF-8"?>
<procedure xmlns="urn:motcua:workflow:1" code="9.000001" version="1" effective-from="2026-01-01">
  <name vi="Thủ tục thử nghiệm" en="Test procedure"/>
  <sector>Thử nghiệm (Testing)</sector>
  <legal-basis>Không (tests only)</legal-basis>
  <online level="4" mode="full"/>
  <channels>desk online</channels>
  <agencies receiving="desk-office">
    <agency key="desk-office" code="000.00.14.H20" level="commune" vi="Bộ phận Một cửa xã" en="Commune desk"/>
    <agency key="police" level="province" vi="Công an tỉnh" en="Provincial police"/>
  </agencies>
  <roles>
    <role id="applicant" vi="Người nộp hồ sơ" en="Applicant"/>
    <role id="desk" vi="Bộ phận Một cửa" en="Desk"/>
    <role id="officer" vi="Chuyên viên" en="Officer"/>
    <role id="leader" vi="Lãnh đạo" en="Leader"/>
  </roles>
  <fields>
    <field id="pid" type="personal-id" required="true" pattern="^[0-9]{12}$" vi="Số định danh cá nhân" en="Personal id"/>
    <field id="kind" type="enum" vi="Loại" en="Kind"><option>một</option><option>hai</option></field>
  </fields>
  <components>
    <component id="form" originals="1" vi="Tờ khai" en="Application form"/>
    <component id="id-copy" required="false" copies="1" vi="Bản sao căn cước" en="Copy of the ID card"/>
  </components>
  <fees>
    <fee id="fee" amount-vnd="50000" basis="test value" vi="Lệ phí" en="Fee"/>
  </fees>
  <payment online="true"/>
  <time-limit total="5 working-days"/>
  <states initial="submitted">
    <state id="submitted" status="1" agency="desk-office" role="desk" vi="Đã nộp" en="Submitted"/>
    <state id="supplement" status="5" role="applicant" vi="Chờ bổ sung" en="Awaiting supplement"/>
    <state id="appraisal" status="4" agency="desk-office" role="officer" budget="3 working-days" vi="Thẩm định" en="Appraisal"/>
    <parallel id="consult" status="4" agency="desk-office" role="officer" on-complete="decision" vi="Lấy ý kiến" en="Consultation">
      <branch id="police-opinion" agency="police" role="officer" budget="1 working-days" silence-is-consent="true" vi="Ý kiến công an" en="Police opinion"/>
    </parallel>
    <state id="decision" status="4" agency="desk-office" role="leader" budget="1 working-days" vi="Quyết định" en="Decision"/>
    <state id="resolved" status="9" agency="desk-office" role="desk" vi="Đã giải quyết" en="Resolved"/>
    <final id="returned" status="10" vi="Đã trả kết quả" en="Result returned"/>
    <final id="refused-at-intake" status="3" vi="Từ chối tiếp nhận" en="Refused at intake"/>
    <final id="withdrawn" status="7" vi="Rút hồ sơ" en="Withdrawn"/>
  </states>
  <transitions>
    <transition action="accept" from="submitted" to="appraisal" roles="desk" clock="start" vi="Tiếp nhận" en="Accept"/>
    <transition action="refuse-intake" from="submitted" to="refused-at-intake" roles="desk" requires-reason="true" clock="end" vi="Từ chối tiếp nhận" en="Refuse at intake"/>
    <transition action="consult" from="appraisal" to="consult" roles="officer" vi="Lấy ý kiến" en="Consult"/>
    <transition action="request-supplement" from="appraisal" to="supplement" roles="officer" requires-reason="true" requires-components="true" clock="supplement-request" vi="Yêu cầu bổ sung" en="Request a supplement"/>
    <transition action="supplement-received" from="supplement" to="appraisal" roles="applicant desk" clock="supplement-received" vi="Nhận bổ sung" en="Supplement received"/>
    <transition action="approve" from="decision" to="resolved" roles="leader" requires-signature="true" issues-result="true" clock="finish" vi="Phê duyệt" en="Approve"/>
    <transition action="apologise" from="appraisal decision" roles="leader" requires-reason="true" clock="redate" vi="Xin lỗi, hẹn lại" en="Apologise"/>
    <transition action="return" from="resolved" to="returned" roles="desk" vi="Trả kết quả" en="Return the result"/>
    <transition action="withdraw" from="submitted supplement appraisal decision" to="withdrawn" roles="applicant" clock="end" vi="Rút hồ sơ" en="Withdraw"/>
  </transitions>
  <results>
    <result id="permit" code="KQ.G00.000001" signer-role="leader" vi="Giấy phép" en="Permit"/>
  </results>
</procedure>
)";
  return text;
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("snippet not found: " + from);
  if (text.find(from, at + 1) != std::string::npos)
    throw std::runtime_error("snippet not unique: " + from);
  text.replace(at, from.size(), to);
  return text;
}

int line_of(const std::string& text, const std::string& snippet) {
  const auto at = text.find(snippet);
  if (at == std::string::npos) throw std::runtime_error("snippet not found: " + snippet);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

}  // namespace motcua::workflows::testing
