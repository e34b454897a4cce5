# Writes OUT: a C++ function NAME() returning the text of IN. The text is cut into raw string
# literals of at most 16,000 bytes, joined once at run time: a compiler need not accept a single
# literal over 65,536 (clang's -Woverlength-strings), and the OpenAPI document is larger.
file(READ ${IN} text)
string(LENGTH "${text}" length)
set(pieces "")
set(at 0)
while(at LESS length)
  string(SUBSTRING "${text}" ${at} 16000 piece)
  string(APPEND pieces "      R\"cordon_text(${piece})cordon_text\",\n")
  math(EXPR at "${at} + 16000")
endwhile()
file(WRITE ${OUT}.tmp "// Generated from ${IN} by cmake/embed_text.cmake.\n#include <string>\n#include <string_view>\nnamespace cordon::app {\nstd::string_view ${NAME}();\nstd::string_view ${NAME}() {\n  static const std::string text = [] {\n    std::string joined;\n    for (const char* piece : {\n${pieces}         }) {\n      joined += piece;\n    }\n    return joined;\n  }();\n  return text;\n}\n}  // namespace cordon::app\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
