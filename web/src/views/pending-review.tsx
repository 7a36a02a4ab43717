/**
 * Where the dispatcher will review disputed returns (uphold or reject) and split merged requests. Their API is being
 * added (issue #11); this view is built once it has landed.
 */
export function PendingReviewView() {
  return (
    <section class="card" data-testid="pending-review">
      <h3>退单争议复核 · 合并工单拆分</h3>
      <p class="muted">这两项功能的接口正在开发中（issue #11），上线后在此处理：维持或驳回有争议的退单，拆分被合并的重复诉求。</p>
    </section>
  );
}
