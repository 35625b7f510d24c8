import { useEffect } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ROUTES } from '../../shared/routes.js';
import { Layout } from './components/Layout.js';
import { loadNotifications } from './data/inbox.js';
import { loadMe } from './data/session.js';
import { followModerationEvents } from './realtime/moderation.js';
import { connectRealtime } from './realtime/socket.js';
import { loadMyModeration, loadMyReports } from './data/moderation.js';
import { useStore } from './store/index.js';
import { ResetPassword, SignInLink, VerifyEmail } from './pages/auth/EmailedLink.js';
import { SignIn } from './pages/auth/SignIn.js';
import { SignUp } from './pages/auth/SignUp.js';
import { Home } from './pages/home/Home.js';
import { NotFound } from './pages/NotFound.js';
import { Notifications } from './pages/account/Notifications.js';
import { MyModerationPage } from './pages/account/MyModerationPage.js';
import { Settings } from './pages/account/Settings.js';
import { DiscussionPage } from './pages/discussion/DiscussionPage.js';
import { MeetingPage } from './pages/meeting/MeetingPage.js';
import { ProjectorPage } from './pages/meeting/ProjectorPage.js';
import { GroupsPage } from './pages/group/GroupsPage.js';
import { NewGroupPage } from './pages/group/NewGroupPage.js';
import { GroupPage } from './pages/group/GroupPage.js';
import { InvitationPage } from './pages/group/InvitationPage.js';
import { JoinLinkPage } from './pages/group/JoinLinkPage.js';
import { PersonalDataPage } from './pages/privacy/PersonalDataPage.js';
import { PrivacyPolicyPage } from './pages/privacy/PrivacyPolicyPage.js';
import { ThirdPartiesPage } from './pages/privacy/ThirdPartiesPage.js';
import { UnsubscribePage } from './pages/unsubscribe/UnsubscribePage.js';
import { SiteModerationPage } from './pages/admin/SiteModerationPage.js';

/** Pages only for the signed in: others are sent to sign in and brought back. */
function SignedIn({ children }: { children: React.ReactNode }) {
  const status = useStore((s) => s.sessionStatus);
  const location = useLocation();
  if (status === 'unknown') return null;
  if (status === 'signed_out')
    return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname)}`} replace />;
  return children;
}

/**
 * The app and its pages. Every path comes from `ROUTES` in shared/routes.ts,
 * which the server also builds its email links from.
 */
export function App() {
  const status = useStore((s) => s.sessionStatus);
  useEffect(() => {
    connectRealtime();
    void loadMe();
  }, []);
  useEffect(() => {
    if (status !== 'signed_in') return;
    void loadNotifications().catch(() => undefined);
    followModerationEvents();
    void loadMyModeration().catch(() => undefined);
    void loadMyReports().catch(() => undefined);
  }, [status]);
  return (
    <Layout>
      <Routes>
        <Route path={ROUTES.home} element={<Home />} />
        <Route path={ROUTES.signIn} element={<SignIn />} />
        <Route path={ROUTES.signUp} element={<SignUp />} />
        <Route path={ROUTES.signInLink} element={<SignInLink />} />
        <Route path={ROUTES.resetPassword} element={<ResetPassword />} />
        <Route path={ROUTES.verifyEmail} element={<VerifyEmail />} />
        <Route path={ROUTES.groups} element={<GroupsPage />} />
        <Route
          path={ROUTES.newGroup}
          element={
            <SignedIn>
              <NewGroupPage />
            </SignedIn>
          }
        />
        <Route path={ROUTES.group} element={<GroupPage />} />
        <Route path={ROUTES.discussion} element={<DiscussionPage />} />
        <Route path={ROUTES.invitation} element={<InvitationPage />} />
        <Route path={ROUTES.joinLink} element={<JoinLinkPage />} />
        <Route path={ROUTES.meeting} element={<MeetingPage />} />
        <Route path={ROUTES.projector} element={<ProjectorPage />} />
        <Route
          path={ROUTES.notifications}
          element={
            <SignedIn>
              <Notifications />
            </SignedIn>
          }
        />
        <Route
          path={ROUTES.myModeration}
          element={
            <SignedIn>
              <MyModerationPage />
            </SignedIn>
          }
        />
        <Route
          path={ROUTES.settings}
          element={
            <SignedIn>
              <Settings />
            </SignedIn>
          }
        />
        <Route path={ROUTES.privacy} element={<PrivacyPolicyPage />} />
        <Route path={ROUTES.thirdParties} element={<ThirdPartiesPage />} />
        <Route path={ROUTES.unsubscribe} element={<UnsubscribePage />} />
        <Route
          path={ROUTES.personalData}
          element={
            <SignedIn>
              <PersonalDataPage />
            </SignedIn>
          }
        />
        <Route
          path={ROUTES.siteModeration}
          element={
            <SignedIn>
              <SiteModerationPage />
            </SignedIn>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
