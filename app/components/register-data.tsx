/**
 * The register's data sharing and fairness in the details layer of a system's public page
 * (SPEC §12): who receives the data, the provider's own use, protected characteristics and the
 * last bias and accuracy test. Shaped on the server (country names, dates) by the page's loader.
 */
import { useTranslation } from "~/utils/i18n";
import { Time } from "~/components/time";
import type { ProviderDataUse, RecipientRole, TransferSafeguard } from "~/domain/ai-register-data";

export interface RegisterDataView {
  recipients: { name: string; role: RecipientRole; country: string; countryName: string; safeguard: TransferSafeguard }[];
  providerDataUse: ProviderDataUse;
  providerUseClause: string;
  usesProtectedCharacteristics: boolean;
  protectedCharacteristicsNote: string;
  lastTest: { date: { iso: string; text: string }; method: string; result: string } | null;
}

/** The facts as a description list; `textLang` marks texts shown in another language (the fallback). */
export function RegisterDataDetails({ data, textLang }: { data: RegisterDataView; textLang?: string }) {
  const { t } = useTranslation();
  return (
    <dl className="details-list">
      <div>
        <dt>{t("registerData.recipients")}</dt>
        <dd>
          {data.recipients.length === 0 ? (
            <p>{t("registerData.noRecipients")}</p>
          ) : (
            <ul>
              {data.recipients.map((r) => (
                <li key={`${r.name}-${r.country}`}>
                  {t("registerData.recipientLine", {
                    name: r.name,
                    role: t(`registerData.role.${r.role}`),
                    country: r.countryName,
                    safeguard: t(`registerData.safeguard.${r.safeguard}`),
                  })}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div>
        <dt>{t("registerData.providerUse")}</dt>
        <dd>
          <p><strong>{t(`registerData.providerUseValue.${data.providerDataUse}`)}</strong></p>
          {data.providerUseClause ? <p lang={textLang}>{data.providerUseClause}</p> : null}
        </dd>
      </div>
      <div>
        <dt>{t("registerData.protected")}</dt>
        <dd>
          <p><strong>{t(`registerData.protectedValue.${data.usesProtectedCharacteristics ? "yes" : "no"}`)}</strong></p>
          {data.protectedCharacteristicsNote ? <p lang={textLang}>{data.protectedCharacteristicsNote}</p> : null}
        </dd>
      </div>
      <div>
        <dt>{t("registerData.fairnessTest")}</dt>
        <dd>
          {data.lastTest ? (
            <>
              <p>{t("registerData.fairnessTestDate")} <Time value={data.lastTest.date} /></p>
              {data.lastTest.method ? <p>{t("registerData.method")} <span lang={textLang}>{data.lastTest.method}</span></p> : null}
              {data.lastTest.result ? <p>{t("registerData.result")} <span lang={textLang}>{data.lastTest.result}</span></p> : null}
            </>
          ) : (
            <p>{t("registerData.fairnessTestNone")}</p>
          )}
        </dd>
      </div>
    </dl>
  );
}
