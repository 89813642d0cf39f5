package messages

// webhookEntries are the messages of webhook endpoints and deliveries.
func webhookEntries() []entry {
	return []entry{
		t("There is no webhook %q.", "Không có webhook %q."),
		t("The webhook has no delivery %q.", "Webhook không có lần gửi %q."),
		t("Webhooks are not running on this server.", "Máy chủ này không chạy webhook."),
		t("limit must be a whole number from 1 to 500.", "limit phải là số nguyên từ 1 đến 500."),
		t("url is required.", "url là bắt buộc."),
		t("url must be at most 2000 characters long.", "url dài tối đa 2000 ký tự."),
		t("url must be an absolute URL, such as https://example.org/hooks.", "url phải là URL đầy đủ, ví dụ https://example.org/hooks."),
		t("url must not hold a user name or password.", "url không được chứa tên người dùng hay mật khẩu."),
		t("url must not have a fragment (#...).", "url không được có phần neo (#...)."),
		t("url must start with https://.", "url phải bắt đầu bằng https://."),
		t("url must name a public address, not a private, loopback or reserved one.", "url phải trỏ tới một địa chỉ công khai, không phải địa chỉ riêng, loopback hay địa chỉ dành riêng."),
		t("events[%d] must be one of entity.created, entity.updated, entity.archived, entity.restored.", "events[%d] phải là một trong entity.created, entity.updated, entity.archived, entity.restored."),
		t("description must be at most 500 characters long.", "description dài tối đa 500 ký tự."),
	}
}
